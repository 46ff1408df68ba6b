"""The Typer floor: the smallest Typer command, without SQLAlchemy.

One command, one int option, does nothing: what any Typer CLI pays to start with this
interpreter, typer, click and pydantic. Read commands on a SQLite store no longer import
SQLAlchemy, so bench/run.py measures them against this floor too (bench/floor.py, which adds
SQLAlchemy, stays the floor of the recording commands), in the same runs.
"""

from __future__ import annotations

import typer

app = typer.Typer()


@app.command()
def main(month: int = 6) -> None:
    """Do nothing."""


if __name__ == "__main__":
    app()
