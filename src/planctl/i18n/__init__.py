"""Messages in the user's language, through the standard library's gettext.

The catalogues are `planctl/locale/{zh,en}/LC_MESSAGES/planctl.po` (English text as msgid),
compiled to `.mo` beside them (`python -m planctl.cli.catalogue`, docs/development.md). A
message is marked `_("...")` where it is made, `ngettext(...)` where it counts, `N_("...")`
where it is only named (a table of labels) and looked up later.

The language is chosen once per command by the shell, `--lang` > `PLANCTL_LANG` > the config
file > the plan's `language` > the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) > English
(`choose_language`); the config file and the plan are consulted only when a message is wanted
before the command has read them (`--help`, a usage error). Nothing here reads a clock; a
catalogue is read once per process, the first time its language is wanted. This package
imports nothing else of planctl.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

LANGUAGES = ("zh", "en")
"""The languages planctl speaks; any other is English."""

DOMAIN = "planctl"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
ENGLISH = "en"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def N_(message: str) -> str:
    """Marks a message for the catalogues without translating it (it is looked up later)."""
    return message


def spoken(language: str | None) -> str | None:
    """`language` if planctl speaks it (`zh`, `en`, any case), else None."""
    if language is None:
        return None
    language = language.strip().lower()
    return language if language in LANGUAGES else None


def locale_language(environ: Mapping[str, str]) -> str | None:
    """The language of the first locale variable set (`zh_CN.UTF-8` is zh), as setlocale
    reads them; None when it is one planctl does not speak (`C`, `fr_FR`)."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if value:
            return spoken(value.split(".")[0].split("@")[0].split("_")[0])
    return None


def choose_language(
    option: str | None,
    environ: Mapping[str, str],
    config: str | None = None,
    plan: str | None = None,
) -> str:
    """`--lang` > `PLANCTL_LANG` > the config file > the plan's language > the locale > English.
    A source naming a language planctl does not speak is passed over."""
    for chosen in (option, environ.get("PLANCTL_LANG"), config, plan):
        if spoken(chosen):
            return spoken(chosen)  # type: ignore[return-value]
    return locale_language(environ) or ENGLISH


_CATALOGUES: dict[str, NullTranslations] = {}


def catalogue(language: str) -> NullTranslations:
    """The compiled catalogue of a language (English for one planctl does not speak)."""
    language = spoken(language) or ENGLISH
    found = _CATALOGUES.get(language)
    if found is None:
        path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        try:
            with path.open("rb") as file:
                found = GNUTranslations(file)
        except OSError:  # a tree without its compiled catalogues: the English msgids
            found = NullTranslations()
        _CATALOGUES[language] = found
    return found


Late = Callable[[], tuple[str | None, str | None]]
"""The config file's language and the plan's, found on first need (before the command reads
them: `--help`, a usage error)."""


@dataclass
class _Choice:
    """What the running command has said of its language so far, and the one chosen."""

    option: str | None = None
    environ: Mapping[str, str] = field(default_factory=dict)
    config: str | None = None
    plan: str | None = None
    late: Late | None = None
    known: set[str] = field(default_factory=set)
    chosen: str | None = None


_CHOICE = _Choice()


def begin(option: str | None, environ: Mapping[str, str], late: Late | None = None) -> None:
    """A command starts: its `--lang` (None without it), its environment, and how to find
    the config file's and the plan's language should a message be wanted before it has."""
    global _CHOICE
    _CHOICE = _Choice(option=spoken(option), environ=environ, late=late)


def use_config(language: str | None) -> None:
    """The config file's `language`, once the command has read the file (None: it has none)."""
    _CHOICE.config, _CHOICE.chosen = language, None
    _CHOICE.known.add("config")


def use_plan(language: str | None) -> None:
    """The plan's `language`, once the command has read the plan."""
    _CHOICE.plan, _CHOICE.chosen = language, None
    _CHOICE.known.add("plan")


def language() -> str:
    """The language messages are in now."""
    choice = _CHOICE
    if choice.chosen is None:
        settled = choice.option or spoken(choice.environ.get("PLANCTL_LANG"))
        if settled is None and choice.late is not None and len(choice.known) < 2:
            late, choice.late = choice.late, None
            config, plan = late()
            if "config" not in choice.known:
                choice.config = config
            if "plan" not in choice.known:
                choice.plan = plan
        choice.chosen = choose_language(choice.option, choice.environ, choice.config, choice.plan)
    return choice.chosen


def gettext(message: str) -> str:
    """A message in the language chosen."""
    return catalogue(language()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, count: int) -> str:
    """A message that counts, in the language chosen (`1 time`, `2 times`; 2 次)."""
    return catalogue(language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """A message in a context (a label whose English is another label's), translated."""
    return catalogue(language()).pgettext(context, message)


class InContext(str):
    """A message with a context (msgctxt): a label whose English is another label's but whose
    translation is not (`Overdue`: 逾期, and 逾期未完成 in the assessment)."""

    __slots__ = ("context",)
    context: str

    def __new__(cls, context: str, message: str) -> InContext:
        made = super().__new__(cls, message)
        made.context = context
        return made


def NC_(context: str, message: str) -> InContext:
    """Marks a message with its context for the catalogues; looked up later (`translated`)."""
    return InContext(context, message)


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message that counts for the catalogues; looked up later (`counted_in`)."""
    return singular, plural


def translated(language: str, message: str) -> str:
    """A message marked `N_` or `NC_`, in a language (not the one chosen: a view's)."""
    found = catalogue(language)
    if isinstance(message, InContext):
        return found.pgettext(message.context, message)
    return found.gettext(message)


def counted_in(language: str, forms: tuple[str, str], count: int) -> str:
    """A message marked `NN_`, for a count, in a language."""
    return catalogue(language).ngettext(forms[0], forms[1], count)
