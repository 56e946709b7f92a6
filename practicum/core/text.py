"""The one text policy at the edge: what a form field or an API string may contain.

Refused everywhere: NUL and the other C0 control characters and DEL (PostgreSQL refuses NUL,
terminals and email headers misread the rest), lone surrogates (they cannot be encoded as
UTF-8, so saving them fails) and Unicode non-characters. Multi-line text keeps tab and line
breaks; single-line text refuses line breaks too (titles and names end up in email headers).
"""

import re

from django.core.exceptions import ValidationError

# Tab, LF and CR are the only controls a multi-line text keeps.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_SURROGATES = "\ud800-\udfff"
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_MULTI_LINE_BAD = re.compile(f"[{_CONTROLS}{_SURROGATES}{_NONCHARACTERS}]")
_SINGLE_LINE_BAD = re.compile(f"[\t\n\r{_CONTROLS}{_SURROGATES}{_NONCHARACTERS}]")

LINE_MAX = 300
TEXT_MAX = 20_000


def text_problem(value: str, *, multiline: bool) -> str | None:
    """The message for the first character the policy refuses in value, or None."""
    found = (_MULTI_LINE_BAD if multiline else _SINGLE_LINE_BAD).search(value)
    if found is None:
        return None
    char = found.group()
    if char in "\n\r":
        return "Use a single line (no line breaks)."
    if "\ud800" <= char <= "\udfff":
        return "Contains an invalid character (a lone surrogate)."
    return f"Contains a character that is not allowed (U+{ord(char):04X})."


def validate_single_line(value: str) -> None:
    if (problem := text_problem(value, multiline=False)) is not None:
        raise ValidationError(problem, code="invalid_character")


def validate_multi_line(value: str) -> None:
    if (problem := text_problem(value, multiline=True)) is not None:
        raise ValidationError(problem, code="invalid_character")
