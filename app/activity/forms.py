from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError


class FeedFilterForm(FlaskForm):
    """GET filters of the activity feed (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    user = SelectField(_l("משתמש/ת"), validators=[Optional()])
    entity_type = SelectField(_l("סוג"), validators=[Optional()])
    date_from = DateField(_l("מתאריך"), validators=[Optional()])
    date_to = DateField(_l("עד תאריך"), validators=[Optional()])

    def set_choices(self, members, kinds) -> None:
        everyone = SelectChoice("", str(_l("כולם")))
        self.user.choices = [everyone] + [
            SelectChoice(str(m.user_id), m.user.full_name) for m in members
        ]
        self.entity_type.choices = [SelectChoice("", str(_l("הכול")))] + [
            SelectChoice(k, label) for k, label in kinds
        ]

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("תאריך הסיום חייב להיות אחרי תאריך ההתחלה."))
