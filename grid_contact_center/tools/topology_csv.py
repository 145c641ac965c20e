"""Reading of grid topology files, free of Odoo so that the parsing can be
tested on bytes alone.

A topology file is a CSV file with a header row and the columns ``kind``,
``code``, ``name`` and ``parent_code``. Each row is a grid element (a
substation, feeder, transformer substation or line) under its parent, or a
service point (kind ``service_point``, ``code`` is the service point's code)
attached to the element named in ``parent_code``. Spreadsheets exported in
Russia often use semicolons and the Windows-1251 encoding, so both the
delimiter and the encoding (see ``text_files``) are detected.
"""

import csv
import io
from typing import NamedTuple

from .text_files import TextEncodingError, decode_text

REQUIRED_COLUMNS = ("kind", "code", "parent_code")
OPTIONAL_COLUMNS = ("name",)
SERVICE_POINT = "service_point"
# Kinds as written in the file, lower-cased, and the kind of record each one
# means. The Russian abbreviations are those of grid companies' registers.
KIND_ALIASES = {
    "substation": "substation",
    "пс": "substation",
    "подстанция": "substation",
    "feeder": "feeder",
    "ф": "feeder",
    "фидер": "feeder",
    "transformer_substation": "transformer_substation",
    "тп": "transformer_substation",
    "ктп": "transformer_substation",
    "рп": "transformer_substation",
    "line": "line",
    "вл": "line",
    "кл": "line",
    "линия": "line",
    "service_point": SERVICE_POINT,
    "тчк": SERVICE_POINT,
    "точка поставки": SERVICE_POINT,
}
DELIMITERS = ",;\t"


# Codes of the problems found, which the import wizard turns into messages in
# the user's language.
ERROR_ENCODING = "encoding"
ERROR_EMPTY_FILE = "empty_file"
ERROR_HEADER = "header"
ERROR_UNKNOWN_KIND = "unknown_kind"
ERROR_EMPTY_CODE = "empty_code"


class TopologyFileError(ValueError):
    """The file as a whole cannot be read. ``code`` is one of the ERROR_
    constants and ``detail`` the offending value, if any."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class TopologyRow(NamedTuple):
    line: int
    kind: str
    code: str
    name: str
    parent_code: str
    raw_kind: str
    error: str


def decode(data: bytes) -> str:
    """Decode the file as :func:`text_files.decode_text` does."""
    try:
        return decode_text(data)
    except TextEncodingError as error:
        raise TopologyFileError(ERROR_ENCODING) from error


def read_rows(data: bytes):
    """Return the rows of a topology file as ``TopologyRow`` tuples.

    ``line`` is the line number in the file (the header is line 1). A row
    that cannot be understood carries one of the ERROR_ codes in ``error``.
    Blank rows are skipped. Raises TopologyFileError when the file cannot be
    decoded or has no header with the required columns.
    """
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration as error:
        raise TopologyFileError(ERROR_EMPTY_FILE) from error
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise TopologyFileError(ERROR_HEADER, ", ".join(missing))
    position = {column: header.index(column) for column in header}
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue

        def value(column, values=values):
            index = position.get(column)
            if index is None or index >= len(values):
                return ""
            return values[index].strip()

        raw_kind = value("kind")
        kind = KIND_ALIASES.get(raw_kind.lower())
        code = value("code")
        error = ""
        if not kind:
            error = ERROR_UNKNOWN_KIND
        elif not code:
            error = ERROR_EMPTY_CODE
        rows.append(
            TopologyRow(
                line=line,
                kind=kind or "",
                code=code,
                name=value("name"),
                parent_code=value("parent_code"),
                raw_kind=raw_kind,
                error=error,
            )
        )
    return rows
