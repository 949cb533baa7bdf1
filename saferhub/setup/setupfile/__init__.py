"""The partnership set-up file (TOML): check, apply, export. See docs/setup.md and the interchange spec."""

from saferhub.setup.setupfile.apply import Result, configure
from saferhub.setup.setupfile.export import export
from saferhub.setup.setupfile.validate import SetupFileError

__all__ = ["Result", "SetupFileError", "configure", "export"]
