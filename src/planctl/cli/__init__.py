"""The command-line shell: Typer commands that call the core and hand views to a renderer."""

from planctl.cli.app import app, main

__all__ = ["app", "main"]
