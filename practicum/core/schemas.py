"""The API's input types: the core text policy as pydantic types, and the strict base schema
every request body and query schema derives from."""

import datetime
import types
import typing
from decimal import Decimal
from typing import Annotated, Any

from ninja import Path, Schema
from pydantic import AfterValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from practicum.core.cleaning import DATE_MAX, DATE_MIN
from practicum.core.text import LINE_MAX, TEXT_MAX, text_problem


def _policy(multiline: bool):
    def check(value: str) -> str:
        if (problem := text_problem(value, multiline=multiline)) is not None:
            raise PydanticCustomError("invalid_character", problem)
        return value

    return check


SingleLine = Annotated[
    str,
    Field(max_length=LINE_MAX, json_schema_extra={"x-text": "single-line"}),
    AfterValidator(_policy(False)),
]
MultiLine = Annotated[
    str,
    Field(max_length=TEXT_MAX, json_schema_extra={"x-text": "multi-line"}),
    AfterValidator(_policy(True)),
]
Slug = Annotated[str, Field(max_length=100, pattern=r"^[-a-zA-Z0-9_]*$")]


def _in_window(value):
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day is not None and not DATE_MIN <= day <= DATE_MAX:
        raise PydanticCustomError(
            "date_out_of_range",
            "Choose a date between {min} and {max}.",
            {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
        )
    return value


# json_schema_extra documents the window; pydantic has no native bound for dates.
_WINDOW = {"x-minimum": DATE_MIN.isoformat(), "x-maximum": DATE_MAX.isoformat()}
Date = Annotated[datetime.date, AfterValidator(_in_window), Field(json_schema_extra=_WINDOW)]
DateTime = Annotated[
    datetime.datetime, AfterValidator(_in_window), Field(json_schema_extra=_WINDOW)
]


def _kinds(annotation) -> set:
    """The plain types an annotation accepts: int | None -> {int, NoneType}."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _kinds(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_kinds(arg) for arg in typing.get_args(annotation)))
    return {annotation}


_NUMBERS = {int, float, Decimal}
ID_MAX = 2**63 - 1


def _check_strings(value: Any) -> None:
    if isinstance(value, str):
        if (problem := text_problem(value, multiline=True)) is not None:
            raise PydanticCustomError("invalid_character", problem)
        if len(value) > TEXT_MAX:
            raise PydanticCustomError(
                "string_too_long", "At most {max} characters.", {"max": TEXT_MAX}
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key)
            _check_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_strings(item)


class InputSchema(Schema):
    """Base of every request body and query schema: unknown fields are refused, booleans and
    numbers are not taken for each other, and every string (even one inside a free-form
    object) is held to the multi-line text policy; SingleLine fields refuse line breaks too."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_number_coercion(cls, value, info: ValidationInfo):
        kinds = _kinds(cls.model_fields[info.field_name].annotation)
        if isinstance(value, bool) and bool not in kinds and kinds & _NUMBERS:
            raise PydanticCustomError("int_type", "Send a number, not true or false.")
        if bool in kinds and isinstance(value, int | float) and not isinstance(value, bool):
            raise PydanticCustomError("bool_type", "Send true or false, not a number.")
        if isinstance(value, int) and not -ID_MAX <= value <= ID_MAX:
            # Beyond the database's integers every query would overflow.
            raise PydanticCustomError("int_too_large", "This number is too large.")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _text_policy(cls, value):
        _check_strings(value)
        return value


# A row id in a path: positive and within the database's integers, so a huge number is a 422
# instead of an overflow in the query.
Id = Annotated[int, Path(ge=1, le=ID_MAX)]
