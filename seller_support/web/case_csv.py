"""The case log as CSV that is safe to open in a spreadsheet, and back.

Export: UTF-8 with a BOM (Excel needs it for Chinese), CRLF line ends. A cell that starts
with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by Excel or LibreOffice
as a formula (OWASP "CSV injection"), so it gets a `'` in front, which spreadsheets show as
text. So that the import can take exactly that `'` off again, a cell that really starts
with `'` gets one more. The import removes a leading `'` only where the export put one (a
`'` followed by one of those characters or by another `'`), so every text survives export
and import unchanged, and a hand-made CSV's other apostrophes stay.

Import: any line ends (CRLF, LF, bare CR), quoted fields over several lines; a malformed
file, an unknown or repeated column, or a row with a different number of fields than the
header is a CsvError that names the line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

ESCAPE = "'"
# What a spreadsheet reads as the start of a formula (OWASP), and the escape itself.
_ESCAPED_STARTS = ("=", "+", "-", "@", "\t", "\r", ESCAPE)


class CsvError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(f"csv line {line}: {message}")
        self.line = line


def escape_cell(value: object) -> object:
    """A cell's value as the export writes it."""
    if isinstance(value, str) and value.startswith(_ESCAPED_STARTS):
        return ESCAPE + value
    return value


def unescape_cell(value: str) -> str:
    """The exact inverse of `escape_cell` on text."""
    if value.startswith(ESCAPE) and value[1:2] and value[1:2] in _ESCAPED_STARTS:
        return value[1:]
    return value


def write_csv(rows: Iterable[dict], columns: list[str]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel needs the BOM to read UTF-8 Chinese
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([escape_cell(row.get(column)) for column in columns])
    return out.getvalue()


def read_csv(text: str, columns: list[str], required: set[str]) -> list[tuple[int, dict[str, str]]]:
    """(line where the row starts, {column: value}) for every non-blank row after the
    header, which must name the `required` columns and no others than `columns`; values
    unescaped, empty ones left out."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    header_line = 1
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvError(line, f"not valid CSV: {exc}") from exc
        if not fields or fields == [""]:
            continue  # a blank line
        if header is None:
            header, header_line = _header(line, fields, columns, required), line
            continue
        if len(fields) != len(header):
            raise CsvError(
                line,
                f"{len(fields)} fields where the header (line {header_line}) has {len(header)}",
            )
        values = {name: unescape_cell(value) for name, value in zip(header, fields, strict=True)}
        rows.append((line, {name: value for name, value in values.items() if value != ""}))
    if header is None:
        raise CsvError(1, "no header row; the export's first row names the columns")
    return rows


def _header(line: int, fields: list[str], columns: list[str], required: set[str]) -> list[str]:
    missing = required - set(fields)
    if missing:
        raise CsvError(line, f"the header lacks {sorted(missing)}")
    unknown = [name for name in fields if name not in columns]
    if unknown:
        raise CsvError(line, f"unknown columns {unknown}; the columns are {columns}")
    repeated = sorted({name for name in fields if fields.count(name) > 1})
    if repeated:
        raise CsvError(line, f"columns named twice: {repeated}")
    return fields
