import pytest

from app.auth.errors import PasswordRejected
from app.auth.passwords import hash_password, password_problems, verify_password
from app.auth.services import set_password
from app.extensions import db
from tests.factories import make_user


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1", "לפחות 8"),
        ("a" * 120 + "B1" + "c" * 10, "עד 128"),
        ("lowercase1", "אות גדולה"),
        ("UPPERCASE1", "אות קטנה"),
        ("NoDigitsHere", "ספרה"),
        ("Password1", "נפוצה"),
    ],
)
def test_password_rules_name_every_broken_rule(ctx, password, fragment):
    problems = password_problems(password)
    assert problems, password
    assert any(fragment in problem for problem in problems)


@pytest.mark.parametrize("password", ["Studio-Plan-2026", "Qx7mTzLp", "A1b" + "x" * 125])
def test_good_passwords_pass(ctx, password):
    assert password_problems(password) == []


def test_hash_is_argon2_and_verifies(ctx):
    hashed = hash_password("Studio-Plan-2026")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "Studio-Plan-2026")
    assert not verify_password(hashed, "Studio-Plan-2027")
    assert not verify_password(None, "anything")


def test_last_five_passwords_cannot_be_reused(ctx):
    user = make_user("reuse@a.test", password="First-Pass-01")
    for n in range(2, 7):
        set_password(user, f"Next-Pass-0{n}")
        db.session.flush()
    # current is Next-Pass-06; history holds First-Pass-01, Next-Pass-02..05
    with pytest.raises(PasswordRejected):
        set_password(user, "Next-Pass-06")
    with pytest.raises(PasswordRejected):
        set_password(user, "Next-Pass-03")
    # First-Pass-01 is six passwords ago: allowed again
    set_password(user, "First-Pass-01")
