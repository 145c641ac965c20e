"""Decoding of the text files that users upload (CSV of readings, grid
topology), free of Odoo so that it can be tested on bytes alone.

Spreadsheets in Russia save CSV in UTF-8, often with a byte order mark, in
Windows-1251, or as "Unicode text" in UTF-16 with a byte order mark.
"""

import codecs

# Byte order marks and their encodings, longest first, because the UTF-32 LE
# mark starts with the UTF-16 LE one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
FALLBACK_ENCODING = "cp1251"


class TextEncodingError(ValueError):
    """The bytes are not text in any of the supported encodings."""


def decode_text(data: bytes) -> str:
    """Decode an uploaded text file and drop its byte order mark.

    A byte order mark decides the encoding. Without one, the text is UTF-8,
    else Windows-1251. Raises TextEncodingError when the bytes are invalid in
    the encoding that applies, or contain NUL bytes, which no text in an 8-bit
    encoding has (a UTF-16 file saved without a byte order mark does).
    """
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise TextEncodingError(
                    f"invalid {encoding} text at byte {error.start}"
                ) from error
    if b"\x00" in data:
        raise TextEncodingError("NUL bytes in a file without a byte order mark")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # NOTE: Windows-1251 maps every byte but 0x98 to a character, so text in
    # another 8-bit encoding (CP866, KOI8-R) is rejected only when it contains
    # that byte, and is otherwise read as the wrong letters.
    try:
        return data.decode(FALLBACK_ENCODING)
    except UnicodeDecodeError as error:
        raise TextEncodingError(
            f"neither UTF-8 nor Windows-1251 text, invalid byte at {error.start}"
        ) from error
