"""Sign-in, sign-up, recovery and 2FA forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired

from app.core.validators import EmailAddress, StrongPassword, name_rules
from app.tenants.labels import BUSINESS_TYPE_LABELS

REQUIRED = _l("שדה חובה.")
PASSWORD_HELP = _l("8 תווים לפחות, עם אות גדולה, אות קטנה וספרה (באנגלית).")


EMAIL_LABEL = _l("אימייל")
PASSWORD_LABEL = _l("סיסמה")
NEW_PASSWORD_LABEL = _l("סיסמה חדשה")


def _email_field(label=EMAIL_LABEL):
    return EmailField(
        label,
        validators=[DataRequired(REQUIRED), EmailAddress()],
        render_kw={"autocomplete": "email", "dir": "ltr", "inputmode": "email"},
    )


def new_password_field(label=NEW_PASSWORD_LABEL):
    return PasswordField(
        label,
        description=PASSWORD_HELP,
        validators=[DataRequired(REQUIRED), StrongPassword()],
        render_kw={"autocomplete": "new-password", "dir": "ltr"},
    )


class SignupForm(FlaskForm):
    studio_name = StringField(
        _l("שם הסטודיו"),
        validators=[DataRequired(REQUIRED), *name_rules()],
        render_kw={"autocomplete": "organization"},
    )
    business_type = SelectField(
        _l("סוג העסק"),
        choices=[SelectChoice(k, v) for k, v in BUSINESS_TYPE_LABELS.items() if k != "events"],
        default="interior_design",
    )
    first_name = StringField(
        _l("שם פרטי"),
        validators=[DataRequired(REQUIRED), *name_rules()],
        render_kw={"autocomplete": "given-name"},
    )
    last_name = StringField(
        _l("שם משפחה"),
        validators=[DataRequired(REQUIRED), *name_rules()],
        render_kw={"autocomplete": "family-name"},
    )
    email = _email_field()
    password = new_password_field(PASSWORD_LABEL)


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("סיסמה"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password", "dir": "ltr"},
    )
    remember = BooleanField(_l("זכור אותי במכשיר הזה (30 יום)"))
    next = HiddenField()


class EmailOnlyForm(FlaskForm):
    email = _email_field()


class TwoFactorCodeForm(FlaskForm):
    code = StringField(
        _l("קוד אימות"),
        description=_l("6 ספרות מאפליקציית האימות, או קוד גיבוי."),
        validators=[InputRequired(REQUIRED)],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "dir": "ltr",
        },
    )


class NewPasswordMixin:
    """A new password typed twice."""

    password = new_password_field()
    confirm = PasswordField(
        _l("אימות סיסמה"),
        validators=[DataRequired(REQUIRED), EqualTo("password", message=_l("הסיסמאות אינן זהות."))],
        render_kw={"autocomplete": "new-password", "dir": "ltr"},
    )


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    pass


class AcceptInvitationForm(FlaskForm):
    first_name = StringField(_l("שם פרטי"), validators=[DataRequired(REQUIRED), *name_rules()])
    last_name = StringField(_l("שם משפחה"), validators=[DataRequired(REQUIRED), *name_rules()])
    password = new_password_field(PASSWORD_LABEL)


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("סיסמה נוכחית"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password", "dir": "ltr"},
    )
