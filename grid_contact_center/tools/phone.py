"""Normalisation of Russian telephone numbers as people type them and PBXs
send them.

Consumers' numbers arrive in many forms: ``+7 916 123-45-67``,
``8 (916) 123-45-67``, ``89161234567``, ten digits, ``8 (4012) 12-34-56``,
``810 375 29 123-45-67`` (the Russian international prefix), a six- or
seven-digit city number without its area code, an extension after "доб.".
All forms of one number map to one key, which the phone index stores and
caller identification looks up: the ten-digit national number for numbers of
the +7 zone, and ``+`` with the full international number for other countries.

This module has no Odoo import, so that scripts and tests can use it alone.
"""

import re
from typing import NamedTuple

import phonenumbers

# Placeholders that PBXs and people send instead of a number without caller id.
NO_CALLER_ID = frozenset(
    {
        "",
        "<unknown>",
        "unknown",
        "anonymous",
        "restricted",
        "private",
        "unavailable",
        "withheld",
        "none",
        "null",
        "неизвестно",
        "скрыт",
        "скрытый номер",
    }
)

# An extension at the end of a number: "доб. 123", "доб 123", "ext. 12",
# "вн. 45", "#45", or a dialling pause and digits (",123", "w123", "p123").
_EXTENSION = re.compile(
    r"(?:доб(?:авочный)?\.?|ext(?:ension)?\.?|вн\.?|#|,|;|(?<=\d)[wp])\s*(\d{1,6})\s*$",
    re.IGNORECASE,
)
# Separators between several numbers typed into one field.
_SEPARATORS = re.compile(r"[;,/\n]|\s+или\s+|\s+и\s+", re.IGNORECASE)
_NON_DIGITS = re.compile(r"\D")

RUSSIAN_NATIONAL_LENGTH = 10
MAX_EXTENSION_DIGITS = 6
# The phone index key of a Russian mobile number, whose national number starts
# with 9, for SQL that selects the numbers SMS can reach. Foreign mobile
# numbers do not match it; is_mobile() finds those.
RUSSIAN_MOBILE_KEY_PATTERN = "^9[0-9]{9}$"
MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


class PhoneNumber(NamedTuple):
    """A telephone number reduced to its lookup key.

    ``key`` is the ten-digit national number in the +7 zone (``9161234567``)
    or ``+`` and the international number elsewhere (``+375291234567``).
    ``is_valid`` is True when the phonenumbers library finds the number in
    its country's numbering plan.
    """

    key: str
    e164: str
    extension: str
    is_valid: bool


def has_caller_id(raw) -> bool:
    """Tell whether a PBX's caller number carries a number at all."""
    if raw is None:
        return False
    return str(raw).strip().lower() not in NO_CALLER_ID


def split_extension(text: str) -> tuple[str, str]:
    """Split ``"+7 495 123-45-67 доб. 123"`` into the number and ``"123"``."""
    match = _EXTENSION.search(text)
    if not match:
        return text, ""
    number = text[: match.start()]
    # A separator followed by a whole second number is not an extension.
    if len(_NON_DIGITS.sub("", number)) < 5:
        return text, ""
    return number, match.group(1)


def phone_key(raw, default_area_code: str | None = None) -> tuple[str, str] | None:
    """Return ``(key, extension)`` for a typed number, or None when it has no
    usable number.

    The fast path of :func:`normalize_phone`: no validity check, so that
    indexing a million numbers stays cheap.
    """
    if not has_caller_id(raw):
        return None
    text, extension = split_extension(str(raw).strip())
    explicit_plus = text.lstrip().startswith("+")
    digits = _NON_DIGITS.sub("", text)
    if not digits:
        return None
    if not explicit_plus:
        if digits.startswith("810") and len(digits) > 11:
            # 8-10 is the prefix for international calls from Russia.
            digits, explicit_plus = digits[3:], True
        elif digits.startswith("00") and len(digits) > 11:
            digits, explicit_plus = digits[2:], True
    if explicit_plus:
        if digits.startswith("7") and len(digits) == RUSSIAN_NATIONAL_LENGTH + 1:
            return digits[1:], extension
        return "+" + digits, extension
    if len(digits) == RUSSIAN_NATIONAL_LENGTH + 1 and digits[0] in "78":
        return digits[1:], extension
    if len(digits) == RUSSIAN_NATIONAL_LENGTH:
        return digits, extension
    # A city number without its area code: 5 to 7 digits that the area code
    # completes to ten.
    area = _NON_DIGITS.sub("", default_area_code or "")
    if area and 5 <= len(digits) and len(area) + len(digits) == RUSSIAN_NATIONAL_LENGTH:
        return area + digits, extension
    return None


def e164_from_key(key: str) -> str:
    """Return the E.164 form of a key of :func:`phone_key`."""
    return key if key.startswith("+") else "+7" + key


def normalize_phone(raw, default_area_code: str | None = None) -> PhoneNumber | None:
    """Reduce a typed or received number to a :class:`PhoneNumber`.

    Returns None when there is no caller id (see :data:`NO_CALLER_ID`) or when
    no number can be read from the text, for instance a six-digit city number
    while no default area code is configured.
    """
    result = phone_key(raw, default_area_code)
    if result is None:
        return None
    key, extension = result
    e164 = e164_from_key(key)
    try:
        parsed = phonenumbers.parse(e164, None)
        is_valid = phonenumbers.is_valid_number(parsed)
    except phonenumbers.NumberParseException:
        is_valid = False
    return PhoneNumber(key, e164, extension, is_valid)


def is_mobile(e164) -> bool:
    """Tell whether an E.164 number is a mobile number, which SMS can reach.

    Russian numbers starting with 9 are mobile without a lookup. Others,
    Kazakhstan's numbers of the +7 zone among them, are looked up in the
    numbering plans of the phonenumbers library, which also counts numbers
    of plans that do not tell mobile and fixed lines apart.
    """
    if not e164 or not e164.startswith("+"):
        return False
    if e164.startswith("+79") and len(e164) == RUSSIAN_NATIONAL_LENGTH + 2:
        return True
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return (
        phonenumbers.is_valid_number(parsed)
        and phonenumbers.number_type(parsed) in MOBILE_TYPES
    )


def split_numbers(raw) -> list[str]:
    """Split a field that may hold several numbers (``"8 916 123-45-67;
    8 (4012) 12-34-56"``) into one text per number.

    A short piece after a separator (``"+7 495 123-45-67, 123"``) is an
    extension of the number before it and stays with that number.
    """
    if not raw:
        return []
    pieces = [piece.strip() for piece in _SEPARATORS.split(str(raw))]
    numbers: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        digit_count = len(_NON_DIGITS.sub("", piece))
        if (
            numbers
            and 0 < digit_count <= MAX_EXTENSION_DIGITS
            and not (piece.lstrip().startswith("+"))
        ):
            numbers[-1] = f"{numbers[-1]} доб. {_NON_DIGITS.sub('', piece)}"
        else:
            numbers.append(piece)
    return numbers
