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
