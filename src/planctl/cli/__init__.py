"""The command-line shell: Typer commands that call the core and hand views to a renderer."""

from __future__ import annotations

from functools import cache

import typer

from planctl.cli.registry import app_for, console_script, main, whole_app

__all__ = ["app", "app_for", "console_script", "main", "whole_app"]


@cache
def _app() -> typer.Typer:
    return whole_app()


def __getattr__(name: str) -> typer.Typer:
    """`app`: every command and group, built on first use (a run of the console script builds
    only the command it runs: see `app_for`)."""
    if name == "app":
        return _app()
    raise AttributeError(name)
