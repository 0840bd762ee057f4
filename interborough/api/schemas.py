"""The error shape as OpenAPI schemas, so clients can rely on it in the contract."""

from typing import Any

from ninja import Schema


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorDetailOut(Schema):
    code: str
    message: str
    fields: list[FieldErrorOut]


class ErrorOut(Schema):
    error: ErrorDetailOut


def responses(ok: Any, *, status: int = 200, errors: tuple[int, ...] = ()) -> dict[int, Any]:
    """An endpoint's responses: its success schema plus the documented error statuses."""
    return {status: ok, **dict.fromkeys((422, *errors), ErrorOut)}


PUBLIC_ERRORS = (404,)
SIGNED_IN_ERRORS = (401, 403)
