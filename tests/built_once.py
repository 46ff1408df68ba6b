"""Typer's Click commands built once per process, for the tests' in-process runs.

`typer.testing.CliRunner.invoke` builds the Click command from the Typer app on every call, and
Typer builds it from the functions' signatures (5 ms, a third of an in-process `planctl list`,
thousands of times a run). A Click command is stateless between invocations, so the tests
reuse it: importing this module makes `CliRunner.invoke` build each set of commands `app_for`
chooses once per process (tests/conftest.py and the processes of tests/forked.py import it).
`tests/test_shell.py` runs `main()` itself, building afresh as the console script does.
Imports no pytest: tests/forked.py's processes import it.
"""

from __future__ import annotations

from typing import Any

import typer.main
import typer.testing


def built_once(typer_instance: typer.Typer) -> Any:
    """Typer's Click command for the app, built on the first call for its set of commands."""
    app = typer_instance
    callback = app.registered_callback
    key = (
        None if callback is None else callback.callback,
        tuple((info.name, info.callback) for info in app.registered_commands),
        tuple((info.name, id(info.typer_instance)) for info in app.registered_groups),
    )
    built = BUILT.get(key)
    if built is None:
        built = BUILT[key] = typer.main.get_command(app)
    return built


BUILT: dict[object, Any] = {}
typer.testing._get_command = built_once  # type: ignore[attr-defined] # what invoke() calls
