"""Errors that services raise with a message a person can act on."""


class ApplicationError(Exception):
    """A request that breaks a business rule; shown to the person as it is."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class PermissionDeniedError(ApplicationError):
    """The actor may not do this."""

    def __init__(self, message: str = "You do not have permission to do that.") -> None:
        super().__init__(message, code="permission_denied")
