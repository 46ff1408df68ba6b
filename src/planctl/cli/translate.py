"""Click's and Typer's own words, and every command's help, in the language chosen.

Typer's copy of Click writes its strings (`Usage:`, `Error:`, `Try ... for help.`, `No such
option`, `Missing argument`) as English literals, and Typer's own (`Options`, `Commands`)
through the standard library's gettext. Both come out in planctl's language from here, in one
place: Typer's `_` becomes planctl's, Click's error display and usage prefix ask planctl's
catalogue, and an error message Click wrote in English is matched against its templates below
and written again in the language chosen. The help of every command and option is translated
by walking the Click command tree once per run (`translate_help`): no command module marks
its help texts; the catalogues hold them as the live app has them (`help_texts`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from functools import cache
from typing import IO, Any

from planctl.i18n import N_, gettext

CLICK_MESSAGES = (
    N_("Value error, {message}"),
    N_("No such option: {name} (Possible options: {options})"),
    N_("No such option: {name}"),
    N_("No such command {name}."),
    N_("Missing command."),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter: {name}"),
    N_("Invalid value for {hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Got unexpected extra argument(s) ({arguments})"),
    N_("Option {name} does not take a value."),
    N_("Option {name} requires an argument."),
    N_("{value} is not one of {choices}."),
    N_("Value {value} is not a valid {kind}."),
    N_("{value} does not match the formats {formats}."),
)
"""The messages of Click's usage errors, as its English words them, the first that matches
taken (so a longer one before its start): `{...}` stands for what
the user typed or the command's names, which stay as they are. One in a message (`Invalid
value for '--lang': ...`) is itself translated."""

TYPER_WORDS = (
    N_("Options"),
    N_("Commands"),
    N_("Arguments"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("(dynamic)"),
    N_("Aborted!"),
)
"""What Typer's help and its end of a run ask the standard library's gettext for."""

NESTED = frozenset({"message"})
"""The placeholders that hold a message of their own (translated in turn)."""


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for template in CLICK_MESSAGES:
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(
            re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
            for index, part in enumerate(parts)
        )
        patterns.append((re.compile(regex, re.S), template))
    return patterns


def click_message(text: str) -> str:
    """A message Click wrote in English, in the language chosen (as it was when no template
    matches: a message of planctl's own is translated where it is made)."""
    translated = gettext(text)
    if translated != text:
        return translated
    for pattern, template in _patterns():
        match = pattern.fullmatch(text)
        if match is not None:
            values = {
                name: click_message(value) if name in NESTED else value
                for name, value in match.groupdict().items()
            }
            return gettext(template).format(**values)
    return text


def _show_error(self: Any, file: IO[Any] | None = None) -> None:
    from typer._click.utils import echo

    echo(
        gettext("Error: {message}").format(message=click_message(self.format_message())),
        file=sys.stderr if file is None else file,
        color=getattr(self, "show_color", None),
    )


def _show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
    from typer._click.utils import echo

    file = sys.stderr if file is None else file
    color = None
    if self.ctx is not None:
        hint = ""
        if self.ctx.command.get_help_option(self.ctx) is not None:
            hint = gettext("Try '{command} {option}' for help.").format(
                command=self.ctx.command_path, option=self.ctx.help_option_names[0]
            )
            hint += "\n"
        color = self.ctx.color
        echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
    message = click_message(self.format_message())
    echo(gettext("Error: {message}").format(message=message), file=file, color=color)


@cache
def install() -> None:
    """Click's and Typer's words through planctl's catalogue (once per process)."""
    import typer.core
    from typer._click import core, exceptions, formatting

    typer.core._ = gettext  # type: ignore[attr-defined]  # Options, Commands, Arguments, ...
    exceptions.ClickException.show = _show_error  # type: ignore[method-assign]
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]

    write_usage = formatting.HelpFormatter.write_usage

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, gettext("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]

    help_option = core.Command.get_help_option

    def translated_help_option(self: Any, ctx: Any) -> Any:
        option = help_option(self, ctx)
        if option is not None:
            option.help = gettext("Show this message and exit.")
        return option

    core.Command.get_help_option = translated_help_option  # type: ignore[method-assign]

    get_help = core.Command.get_help

    def translated_help(self: Any, ctx: Any) -> str:
        translate_help(ctx.find_root().command)  # only when a help is shown: no cost otherwise
        return get_help(self, ctx)

    core.Command.get_help = translated_help  # type: ignore[method-assign]


HELP_ATTRIBUTES = ("help", "short_help", "epilog")


def _helped(command: Any) -> Iterator[Any]:
    """The command, its parameters, and every command under it, each once."""
    yield command
    yield from command.params
    for sub in getattr(command, "commands", {}).values():
        yield from _helped(sub)


def help_texts(command: Any) -> list[str]:
    """Every help text of a Click command tree, in English, as the catalogues hold them."""
    texts: list[str] = []
    for item in _helped(command):
        for attribute in HELP_ATTRIBUTES:
            original = _original(item, attribute)
            if original and original not in texts:
                texts.append(original)
    return texts


def _original(item: Any, attribute: str) -> str | None:
    kept: dict[str, str | None] = item.__dict__.setdefault("_planctl_english", {})
    if attribute not in kept:
        kept[attribute] = getattr(item, attribute, None)
    return kept[attribute]


def translate_help(command: Any, translate: Callable[[str], str] = gettext) -> None:
    """Every help text of the tree in the language chosen (the English kept, for the next
    run in the same process)."""
    for item in _helped(command):
        for attribute in HELP_ATTRIBUTES:
            original = _original(item, attribute)
            if original:
                setattr(item, attribute, translate(original))
