"""Forms of the configuration lists (labels through _l; the service re-checks everything)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, ColorField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

HEX_RULE = Regexp(r"^#[0-9A-Fa-f]{6}$", message=_l("צבע בפורמט ‎#RRGGBB‎, לדוגמה ‎#3399FF‎."))


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice (rendered by forms.field as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EntryForm(FlaskForm):
    name = StringField(
        _l("שם"),
        validators=[DataRequired(_l("שדה חובה.")), Length(max=100, message=_l("עד 100 תווים."))],
    )
    name_en = StringField(
        _l("שם באנגלית"),
        validators=[Optional(), Length(max=100, message=_l("עד 100 תווים."))],
        render_kw={"dir": "ltr", "lang": "en"},
    )
    color = ColorField(
        _l("צבע"), validators=[DataRequired(_l("שדה חובה.")), HEX_RULE], default="#3399FF"
    )
    is_final = BooleanField(
        _l("סטטוס סופי"),
        description=_l("רשומה בסטטוס סופי נחשבת סגורה; יוצאים ממנו רק למעברים שסומנו."),
    )
    allowed_transitions = MultiCheckboxField(
        _l("מעברים מותרים"),
        choices=[],
        validate_choice=False,
        description=_l("בלי סימון: מותר לעבור לכל סטטוס (מסטטוס שאינו סופי)."),
    )
