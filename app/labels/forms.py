"""Forms of the labels settings page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import ColorField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.configuration.forms import HEX_RULE, MultiCheckboxField
from app.labels.kinds import LABEL_TYPE_LABELS


class LabelForm(FlaskForm):
    name = StringField(
        _l("שם התגית"),
        validators=[DataRequired(_l("שדה חובה.")), Length(max=50, message=_l("עד 50 תווים."))],
    )
    color = ColorField(
        _l("צבע"), validators=[DataRequired(_l("שדה חובה.")), HEX_RULE], default="#3399FF"
    )
    entity_types = MultiCheckboxField(
        _l("מתאימה ל-"),
        choices=[SelectChoice(key, label) for key, label in LABEL_TYPE_LABELS.items()],
        validators=[DataRequired(_l("בחרו לפחות סוג אחד."))],
    )
