"""planctl: track an organisation's annual work plan from the command line."""

__version__ = "0.1.0"
