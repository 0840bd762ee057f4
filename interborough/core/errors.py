"""Errors that services raise with a message a person can act on."""

from django.core.exceptions import PermissionDenied


class ApplicationError(Exception):
    """A request that breaks a business rule; shown to the person as it is."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class PermissionDeniedError(PermissionDenied):
    """The actor may not do this. Not an ApplicationError: views that turn business-rule refusals
    into form errors let it through, and Django answers 403 (the API answers in its error shape)."""

    def __init__(self, message: str = "You do not have permission to do that.") -> None:
        super().__init__(message)
        self.message = message
        self.code = "permission_denied"
