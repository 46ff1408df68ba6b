"""The cells of an .xlsx workbook's sheets, read with the standard library (`zipfile` and the
C ElementTree over expat), as openpyxl's read-only, data-only mode gives them: a number as
`int` or `float`, a number in a date format as a `datetime` (a time of day as a `time`), a
shared or inline string as its text (rich text runs joined, phonetic runs left out), a
boolean as `bool`, an error as its text (`#N/A`), a formula as its cached value; and each
cell's number format (`0%`, `yyyy-mm-dd`, `General`).

What `returns collect` reads a returned sheet with: openpyxl's read-only load of 30 small
workbooks, with its import, cost more than everything else the command does (the stylesheet
and every cell made into objects; see docs/performance.md, *returns collect*), where this
reads each part once, keeping only the sheets' rows as they stream by. A part that declares
more than `MAX_PART` bytes unpacked is refused before it is read (a zip bomb); `zipfile`
unpacks no more than a part declares.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError, XMLPullParser, fromstring

from planctl import frozen

MAX_PART = 32 * 2**20
"""The most one part of the workbook (a sheet's XML, the shared strings) may unpack to: a
return is a few tens of KB; 20 MiB of file may hold far more than any return needs."""

_BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)", 41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}  # fmt: skip
"""The number formats Excel does not write into a file, by their ID (openpyxl's table: an ID
below 164 that is not in it, such as the East Asian dates 27-36, reads as `General`)."""
_FIRST_CUSTOM = 164

_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_WINDOWS_EPOCH = datetime(1899, 12, 30)
_MAC_EPOCH = datetime(1904, 1, 1)
_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Unreadable(ValueError):
    """A workbook whose parts cannot be read (not a zip, a part missing or refused)."""


@frozen
class Cell:
    """A cell's value as openpyxl's data-only mode gives it, and its number format."""

    value: Any
    number_format: str = "General"


Row = Mapping[int, Cell]
"""A row's cells by column number (1 for A); columns with no cell in the file are absent."""


class Workbook:
    """An .xlsx workbook's sheets, from the bytes of the file."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self._parts = {info.filename: info for info in archive.infolist()}
        book = _book_path(self._root("_rels/.rels"))
        folder = book.rpartition("/")[0]
        targets = {
            rel.get("Id"): _joined(folder, rel.get("Target", ""))
            for rel in self._root(_rels_of(book))
            if _local(rel.tag) == "Relationship"
        }
        root = self._root(book)
        self.sheets: dict[str, str] = {}
        """Every worksheet's name, in the workbook's order, and its part."""
        self._epoch = _WINDOWS_EPOCH
        for element in root.iter():
            name = _local(element.tag)
            if name == "workbookPr" and element.get("date1904") in ("1", "true"):
                self._epoch = _MAC_EPOCH
            elif name == "sheet":
                part = targets.get(element.get(f"{{{_RELATIONSHIP}}}id"))
                if part is not None and part in self._parts:
                    self.sheets[element.get("name", "")] = part
        self._strings: list[str] | None = None
        self._styles: tuple[list[str], set[int], set[int]] | None = None
        self._shared_part = next(
            (target for target in targets.values() if target.endswith("sharedStrings.xml")), ""
        )
        self._styles_part = next(
            (target for target in targets.values() if target.endswith("styles.xml")), ""
        )

    def rows(self, sheet: str) -> Iterator[tuple[int, Row]]:
        """The rows of a sheet that have cells, in the file's order, with their numbers."""
        strings = self.strings()
        formats, dates, durations = self.styles()
        epoch = self._epoch
        number = 0
        for row in _elements(self._open(self.sheets[sheet]), "row"):
            given = row.get("r")
            number = int(float(given)) if given else number + 1
            cells: dict[int, Cell] = {}
            column = 0
            for element in row:
                if _local(element.tag) != "c":
                    continue
                reference = element.get("r")
                column = _column(reference) if reference else column + 1
                style = int(element.get("s") or 0)
                value = _value(element, style, strings, dates, durations, epoch)
                fmt = formats[style] if style < len(formats) else "General"
                cells[column] = Cell(value, fmt)
            yield number, cells

    def strings(self) -> list[str]:
        """The shared strings, as openpyxl reads them (runs joined, `x005F_` unescaped)."""
        if self._strings is None:
            self._strings = []
            if self._shared_part in self._parts:
                items = _elements(self._open(self._shared_part), "si")
                self._strings = [_text_of(item).replace("x005F_", "") for item in items]
        return self._strings

    def styles(self) -> tuple[list[str], set[int], set[int]]:
        """Each cell style's number format, and which styles are dates and durations."""
        if self._styles is None:
            formats: list[str] = []
            if self._styles_part in self._parts:
                root = self._root(self._styles_part)
                custom = {
                    int(item.get("numFmtId", "0")): item.get("formatCode", "")
                    for item in root.iter()
                    if _local(item.tag) == "numFmt"
                }
                for child in root:
                    if _local(child.tag) == "cellXfs":
                        for xf in child:
                            formats.append(_format(int(xf.get("numFmtId") or 0), custom))
            dates = {index for index, fmt in enumerate(formats) if _is_date(fmt)}
            durations = {i for i in dates if _TIMEDELTA.search(formats[i].split(";")[0])}
            self._styles = formats, dates, durations
        return self._styles

    def _open(self, name: str) -> IO[bytes]:
        info = self._parts.get(name)
        if info is None:
            raise Unreadable(f"there is no item named {name!r} in the archive")
        if info.file_size > MAX_PART:
            raise Unreadable(
                f"{name} unpacks to {info.file_size / 2**20:,.0f} MiB;"
                f" a part of at most {MAX_PART // 2**20} MiB is read"
            )
        return self._archive.open(info)

    def _root(self, name: str) -> Element:
        with self._open(name) as stream:
            return fromstring(stream.read())


def open_workbook(data: bytes) -> Workbook:
    """The workbook in an .xlsx file's bytes; `Unreadable` when it is not one."""
    import io

    try:
        return Workbook(zipfile.ZipFile(io.BytesIO(data)))
    except (zipfile.BadZipFile, KeyError, EOFError, ParseError, ValueError) as error:
        raise Unreadable(str(error)) from None


def _elements(stream: IO[bytes], tag: str) -> Iterator[Element]:
    """Each complete element named `tag` (any namespace) in the stream, then forgotten: the
    elements around it are kept only as empty shells, so a long sheet is read in little
    memory."""
    parser: XMLPullParser[Element] = XMLPullParser(events=("start", "end"))
    parents: list[Element] = []
    with stream:
        while chunk := stream.read(1 << 16):
            parser.feed(chunk)
            for kind, element in parser.read_events():  # type: ignore[misc]
                if not isinstance(element, Element):
                    continue
                if kind == "start":
                    parents.append(element)
                    continue
                parents.pop()
                if _local(element.tag) == tag:
                    yield element
                    if parents:
                        parents[-1].remove(element)
        parser.close()


def _value(
    element: Element,
    style: int,
    strings: list[str],
    dates: set[int],
    durations: set[int],
    epoch: datetime,
) -> Any:
    kind = element.get("t", "n")
    if kind == "inlineStr":
        inline = next((child for child in element if _local(child.tag) == "is"), None)
        return None if inline is None else _text_of(inline)
    raw = next((child.text for child in element if _local(child.tag) == "v"), None) or None
    if raw is None:
        return None
    if kind == "n":
        number: int | float = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
        if style in dates:
            return _from_excel(number, epoch, duration=style in durations)
        return number
    if kind == "s":
        return strings[int(raw)]
    if kind == "b":
        return bool(int(raw))
    if kind == "d":
        return _from_iso(raw)
    return raw  # "str" (a formula's text), "e" (an error: #N/A)


def _from_excel(value: float, epoch: datetime, duration: bool) -> Any:
    """openpyxl's `from_excel`: a serial day as a datetime (a fraction of a day alone as a
    time of day), or a duration."""
    if duration:
        span = timedelta(days=value)
        if span.microseconds:
            span = timedelta(
                seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3)
            )
        return span
    day, fraction = divmod(value, 1)
    diff = timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == _WINDOWS_EPOCH:
        day += 1  # Excel's 29 February 1900, which never was
    try:
        return epoch + timedelta(days=day) + diff
    except OverflowError:
        return "#VALUE!"  # as openpyxl marks a date serial outside the dates


def _from_iso(text: str) -> Any:
    cleaned = text.removesuffix("Z")
    try:
        return datetime.fromisoformat(cleaned) if "T" in cleaned else date.fromisoformat(cleaned)
    except ValueError:
        return text


def _format(number: int, custom: Mapping[int, str]) -> str:
    if number in custom:
        return custom[number]
    if number < _FIRST_CUSTOM:
        return _BUILTIN_FORMATS.get(number, "General")
    return "General"


def _is_date(fmt: str) -> bool:
    """openpyxl's `is_date_format`: a d, m, h, y or s outside quotes and brackets in the
    format's first section."""
    return _DATE_PART.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def _text_of(element: Element) -> str:
    """A string item's text: its `t`, then each run's `t`; phonetic runs (`rPh`) left out."""
    parts: list[str] = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


_LETTERS = re.compile(r"\$?([A-Za-z]{1,3})")


def _column(reference: str) -> int:
    """`C12` -> 3."""
    found = _LETTERS.match(reference)
    if found is None:
        raise Unreadable(f"{reference!r} is not a cell reference")
    number = 0
    for letter in found[1].upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letter(number: int) -> str:
    """3 -> `C`."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _book_path(root: Element) -> str:
    for rel in root:
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def _rels_of(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _joined(folder: str, target: str) -> str:
    """A relationship's target as a part name: absolute (`/xl/...`) or relative to the part's
    folder, `..` resolved."""
    if target.startswith("/"):
        return target[1:]
    parts = folder.split("/") if folder else []
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)
