"""CKAN's action errors: each carries CKAN's exact `__type` string and HTTP status."""

from typing import Any


class CkanError(Exception):
    type_name = "Internal Server Error"
    status = 500
    default_message = "Internal Server Error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail

    def error_body(self) -> dict[str, Any]:
        message = self.default_message
        if self.detail:
            message = f"{message}: {self.detail}"
        return {"__type": self.type_name, "message": message}


class NotFound(CkanError):
    type_name = "Not Found Error"
    status = 404
    default_message = "Not found"


class NotAuthorized(CkanError):
    type_name = "Authorization Error"
    status = 403
    default_message = "Access denied"


class SearchQueryError(CkanError):
    type_name = "Search Query Error"
    status = 400

    def error_body(self) -> dict[str, Any]:
        return {"__type": self.type_name, "message": f"Search Query is invalid: {self.detail!r}"}


class ValidationError(CkanError):
    """Field errors, as CKAN sends them: {"field": ["message", ...], "__type": ...}."""

    type_name = "Validation Error"
    status = 409

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors

    def error_body(self) -> dict[str, Any]:
        return {**self.errors, "__type": self.type_name}
