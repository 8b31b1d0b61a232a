"""Errors services raise; each carries a message key of the i18n catalogue, shown to the user."""


class PortalError(Exception):
    def __init__(self, key: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params


class ValidationError(PortalError):
    """Bad input: nothing was saved."""


class PermissionDenied(PortalError):
    """The acting user may not do this."""

    def __init__(self, key: str = "error.permission_denied", **params: object) -> None:
        super().__init__(key, **params)


class NotFound(PortalError):
    def __init__(self, key: str = "error.not_found", **params: object) -> None:
        super().__init__(key, **params)


class ServiceUnavailable(PortalError):
    """The database cannot take this now (busy, disk full, read-only): nothing was saved, and
    the user should simply try again; never the user's fault, never a traceback."""

    def __init__(self, key: str = "error.system_busy", **params: object) -> None:
        super().__init__(key, **params)


class FormInvalid(PortalError):
    """Several fields are wrong at once; `errors` maps each field to its ValidationError."""

    def __init__(self, errors: dict[str, ValidationError]) -> None:
        super().__init__("error.form_invalid")
        self.errors = errors


class FieldChecks:
    """Run every field's check, keep the clean values, and report all failures at once."""

    def __init__(self) -> None:
        self.clean: dict = {}
        self.errors: dict[str, ValidationError] = {}

    def check(self, name: str, fn) -> None:  # noqa: ANN001
        try:
            self.clean[name] = fn()
        except ValidationError as error:
            self.errors[name] = error

    def raise_if_any(self) -> None:
        if self.errors:
            raise FormInvalid(self.errors)


class JobRunning(PortalError):
    """Another run of a scheduled job (escalate, the daily reminders) is under way: skipped."""
