"""Domain errors raised by services; views turn them into messages, the API into 4xx JSON."""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    status = 422


class Conflict(DomainError):
    status = 409


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


def require_valid(problems: dict[str, str], message: str = "输入有误，请检查标出的字段") -> None:
    """Raise ValidationFailed when a rule check found problems."""
    if problems:
        raise ValidationFailed(message, problems)
