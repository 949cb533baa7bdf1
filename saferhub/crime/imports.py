"""Registers the crime import kinds (see mps.py and policeuk.py)."""

from saferhub.crime import maps, mps, policeuk  # noqa: F401 - registering is importing
