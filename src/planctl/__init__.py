"""planctl: track an organisation's annual work plan from the command line."""

__version__ = "0.1.0"

DISTRIBUTION = "planctl-office"
"""The name planctl is installed under (`pip install 'planctl-office[pdf]'`): `planctl` on
PyPI is another project, so every install hint names this one. The command and the import
package are `planctl`."""


def install_hint(extra: str) -> str:
    """What to run for an optional part: `pip install 'planctl-office[pdf]'`."""
    return f"pip install '{DISTRIBUTION}[{extra}]'"
