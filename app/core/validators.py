"""Field validators shared by every form, following the spec's validation rules."""

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length, Regexp, ValidationError

# The spec's name rule (Hebrew, English, digits, spaces, - _ .), plus the apostrophe and
# geresh/gershayim that Hebrew names use (ג'ני, אדריכלות ש"ל).
NAME_PATTERN = re.compile(r"[\u0590-\u05FFa-zA-Z0-9\s\-_.'\"\u05F3\u05F4&,]+")
EMAIL_PATTERN = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
PHONE_PATTERN = re.compile(r"[0-9\-+().\s]+")


def name_rules(min_length: int = 2, max_length: int = 100) -> list:
    return [
        Length(min=min_length, max=max_length, message=_l("יש להזין בין %(min)d ל-%(max)d תווים.")),
        Regexp(
            NAME_PATTERN,
            message=_l("אפשר להשתמש באותיות, ספרות, רווחים וסימנים - _ . , & ' \" בלבד."),
        ),
    ]


class EmailAddress:
    """The spec's e-mail pattern, matched on the whole value, up to 255 characters."""

    def __call__(self, form, field):
        value = (field.data or "").strip()
        if len(value) > 255 or not EMAIL_PATTERN.fullmatch(value):
            raise ValidationError(_l("כתובת האימייל אינה תקינה (לדוגמה: name@studio.co.il)."))
        field.data = value.lower()


class Phone:
    def __call__(self, form, field):
        value = (field.data or "").strip()
        if value and (not PHONE_PATTERN.fullmatch(value) or not 9 <= len(value) <= 20):
            raise ValidationError(_l("מספר הטלפון אינו תקין (לדוגמה: 050-1234567)."))


class StrongPassword:
    def __call__(self, form, field):
        from app.auth.passwords import password_problems

        problems = password_problems(field.data or "")
        if problems:
            raise ValidationError(" ".join(problems))
