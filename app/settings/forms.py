from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from app.core.validators import EmailAddress
from app.tenants.labels import PERMISSION_LABELS, ROLE_LABELS


def _role_choices():
    return [SelectChoice(key, label) for key, label in ROLE_LABELS.items()]


class PermissionFlagsMixin:
    can_view_financials = BooleanField(PERMISSION_LABELS["can_view_financials"])
    can_edit_financials = BooleanField(PERMISSION_LABELS["can_edit_financials"])
    can_manage_users = BooleanField(PERMISSION_LABELS["can_manage_users"])
    can_delete_records = BooleanField(PERMISSION_LABELS["can_delete_records"])
    can_access_all_projects = BooleanField(PERMISSION_LABELS["can_access_all_projects"])
    can_manage_settings = BooleanField(PERMISSION_LABELS["can_manage_settings"])

    def flag_fields(self):
        return [getattr(self, name) for name in PERMISSION_LABELS]

    def flags(self) -> dict:
        return {name: bool(getattr(self, name).data) for name in PERMISSION_LABELS}


class InviteForm(FlaskForm, PermissionFlagsMixin):
    email = EmailField(
        _l("אימייל"),
        validators=[DataRequired(_l("שדה חובה.")), EmailAddress()],
        render_kw={"dir": "ltr", "autocomplete": "off"},
    )
    role = SelectField(_l("תפקיד"), choices=_role_choices(), default="member")
    custom_permissions = BooleanField(_l("התאמת הרשאות (אחרת: ברירת המחדל של התפקיד)"))


class MemberForm(FlaskForm, PermissionFlagsMixin):
    role = SelectField(_l("תפקיד"), choices=_role_choices())
