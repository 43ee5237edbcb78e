"""Errors the auth services raise; routes turn them into Hebrew messages."""


class AuthError(Exception):
    """Base class; `message` is already translated for the person reading it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidCredentials(AuthError):
    pass


class AccountLocked(AuthError):
    pass


class AccountInactive(AuthError):
    pass


class TokenInvalid(AuthError):
    pass


class PasswordRejected(AuthError):
    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


class TwoFactorFailed(AuthError):
    pass
