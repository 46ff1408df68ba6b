"""Typer's Click commands built once per process, for the tests' in-process runs.

Typer builds a Click command from the functions' signatures (5 ms, a third of an in-process
`planctl list`, thousands of times a run). A Click command is stateless between invocations,
so the tests reuse it: `CliRunner` here takes the Typer app as `typer.testing.CliRunner` does,
builds its Click command through Typer's public `typer.main.get_command` once per set of
commands `app_for` chooses, and runs it in Typer's `isolation()` as Typer's runner does
(tests/conftest.py, tests/forked.py's processes and the tests that run an app import it).
`tests/test_shell.py` runs `main()` itself, building afresh as the console script does.
Imports no pytest: tests/forked.py's processes import it.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import typer
import typer.main
import typer.testing
from typer.testing import Result


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


class CliRunner(typer.testing.CliRunner):
    """`typer.testing.CliRunner`, running the app's Click command built once (`built_once`):
    the same isolation, the same exit codes and the same `Result`."""

    def invoke(  # type: ignore[override]
        self,
        app: typer.Typer,
        args: str | Sequence[str] | None = None,
        input: bytes | str | None = None,
        env: Mapping[str, str | None] | None = None,
        catch_exceptions: bool = True,
        color: bool = False,
    ) -> Result:
        cli = built_once(app)
        code: int = 0
        exception: BaseException | None = None
        exc_info: Any = None
        with self.isolation(input=input, env=env, color=color) as (out, err, both):
            try:
                words = shlex.split(args) if isinstance(args, str) else list(args or ())
                cli.main(args=words, prog_name=self.get_default_prog_name(cli))
            except SystemExit as leaving:
                exc_info = sys.exc_info()
                status: Any = 0 if leaving.code is None else leaving.code
                if status != 0:
                    exception = leaving
                if not isinstance(status, int):
                    sys.stdout.write(f"{status}\n")
                    status = 1
                code = status
            except Exception as error:
                if not catch_exceptions:
                    raise
                exception, code, exc_info = error, 1, sys.exc_info()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            stdout, stderr, output = out.getvalue(), err.getvalue(), both.getvalue()
        return Result(self, stdout, stderr, output, None, code, exception, exc_info)
