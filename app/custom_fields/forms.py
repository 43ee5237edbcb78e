"""The custom-field definition form (options with colours are parsed from the request)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.custom_fields.labels import FIELD_TYPE_LABELS, FLAG_LABELS
from app.custom_fields.services import SCALAR_FIELDS

OPTION_ROWS_EXTRA = 3  # empty option rows under the existing ones
OPTION_COLORS = ("#3399FF", "#22C55E", "#F59E0B", "#EF4444", "#8B5CF6", "#EC4899", "#14B8A6")


class DefinitionForm(FlaskForm):
    name = StringField(_l("שם השדה"), render_kw={"maxlength": 100, "autocomplete": "off"})
    field_key = StringField(
        _l("מפתח"),
        description=_l("באנגלית, לדוגמה budget_range. ריק: ייווצר אוטומטית."),
        render_kw={"dir": "ltr", "maxlength": 64, "autocomplete": "off", "spellcheck": "false"},
    )
    field_type = SelectField(
        _l("סוג"),
        choices=[SelectChoice(k, v) for k, v in FIELD_TYPE_LABELS.items()],
        default="text",
    )
    is_required = BooleanField(_l("שדה חובה"))
    min_value = StringField(
        _l("ערך מינימלי"),
        description=_l("למספר, סכום או תאריך (יום/חודש/שנה)."),
        render_kw={"dir": "ltr", "autocomplete": "off"},
    )
    max_value = StringField(_l("ערך מקסימלי"), render_kw={"dir": "ltr", "autocomplete": "off"})
    min_length = StringField(
        _l("אורך מינימלי"), render_kw={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}
    )
    max_length = StringField(
        _l("אורך מקסימלי"), render_kw={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}
    )
    pattern = StringField(
        _l("תבנית (ביטוי רגולרי)"),
        description=_l("הערך כולו חייב להתאים. לדוגמה: [0-9]{9} למספר בן 9 ספרות."),
        render_kw={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"},
    )
    pattern_message = StringField(
        _l("הודעה כשהערך לא מתאים לתבנית"),
        render_kw={"placeholder": _l("לדוגמה: יש להזין 9 ספרות")},
    )
    default_value = StringField(_l("ערך ברירת מחדל"), render_kw={"autocomplete": "off"})
    placeholder = StringField(_l("טקסט מקום (placeholder)"))
    help_text = TextAreaField(_l("טקסט עזרה"), render_kw={"rows": 2})
    show_in_list = BooleanField(FLAG_LABELS["show_in_list"])
    show_in_card = BooleanField(FLAG_LABELS["show_in_card"], default=True)
    show_in_portal = BooleanField(FLAG_LABELS["show_in_portal"])
    show_in_filter = BooleanField(FLAG_LABELS["show_in_filter"])
    group_name = StringField(
        _l("קבוצה"), description=_l("שדות עם אותה קבוצה מוצגים יחד."), render_kw={"maxlength": 100}
    )
    is_active = BooleanField(_l("פעיל"), default=True)

    def values(self) -> dict:
        return {name: self[name].data for name in SCALAR_FIELDS}


def options_from(formdata) -> list[dict]:
    """option-<n>-label / -value / -color rows and option-default (indexes) from the request."""
    defaults = set(formdata.getlist("option-default"))
    rows = []
    for index in range(200):
        label = formdata.get(f"option-{index}-label")
        if label is None:
            continue
        rows.append(
            {
                "label": label,
                "value": formdata.get(f"option-{index}-value", ""),
                "color": formdata.get(f"option-{index}-color", ""),
                "is_default": str(index) in defaults,
            }
        )
    return rows


def option_rows(options: list[dict]) -> list[dict]:
    """The rows to render: the options, then a few empty ones with suggested colours."""
    rows = [dict(o) for o in options]
    for index in range(OPTION_ROWS_EXTRA):
        color = OPTION_COLORS[(len(options) + index) % len(OPTION_COLORS)]
        rows.append({"label": "", "value": "", "color": color, "is_default": False})
    return rows
