"""The SQLAlchemy floor: the smallest Typer command that also imports SQLAlchemy.

One command, one int option, does nothing. No planctl command that records (and so imports
SQLAlchemy) can start faster than this with the same interpreter and the same typer, click,
pydantic and sqlalchemy, so bench/run.py runs it with the interpreter of the planctl it
measures and reports every timing as a ratio to it, and to the Typer floor (floor_typer.py).
"""

from __future__ import annotations

import sqlalchemy  # noqa: F401  (what the floor is made of: typer plus SQLAlchemy)
import typer

app = typer.Typer()


@app.command()
def main(month: int = 6) -> None:
    """Do nothing."""


if __name__ == "__main__":
    app()
