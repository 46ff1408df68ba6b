"""`python -m planctl`."""

from planctl.cli import console_script

console_script()
