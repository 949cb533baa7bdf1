#!/usr/bin/env python3
"""Django's command-line utility for Saferhub."""

import os
import sys

if sys.version_info < (3, 11):  # noqa: UP036 - a clear message for older Pythons
    sys.exit(f"Saferhub needs Python 3.11 or newer; this is {sys.version.split()[0]}.")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
