"""Password policy and hashing (Argon2id)."""

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

MIN_LENGTH = 8
MAX_LENGTH = 128
HISTORY_DEPTH = 5

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most common passwords from real leaks.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: str) -> list[str]:
    """Every rule the password breaks, as Hebrew sentences; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("הסיסמה צריכה להכיל לפחות %(n)d תווים.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("הסיסמה יכולה להכיל עד %(n)d תווים.", n=MAX_LENGTH))
    if not any(c.isupper() for c in password):
        problems.append(_("הסיסמה צריכה לכלול אות גדולה באנגלית (A-Z)."))
    if not any(c.islower() for c in password):
        problems.append(_("הסיסמה צריכה לכלול אות קטנה באנגלית (a-z)."))
    if not any(c.isdigit() for c in password):
        problems.append(_("הסיסמה צריכה לכלול לפחות ספרה אחת."))
    if not problems and password.lower() in _common_passwords():
        problems.append(_("זו סיסמה נפוצה מדי וקלה לניחוש. בחרו סיסמה אחרת."))
    return problems
