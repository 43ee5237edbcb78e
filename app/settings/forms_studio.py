"""The studio settings form (/settings/studio). Ranges and formats are checked by the service
(`app.tenants.studio_settings.update_studio`), so every rule and its Hebrew message lives in one place."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TelField, URLField
from wtforms.fields.choices import SelectChoice

from app.tenants.labels import (  # noqa: F401  (some are re-exported for the form's users)
    BILLING_TYPES,
    BUSINESS_TYPE_LABELS,
    CURRENCIES,
    DATE_FORMATS,
    MARKUP_TYPES,
    MONTHS,
    STUDIO_BUSINESS_TYPES,
    TIMEZONES,
)


class _Required:
    """Marks a field required (the `*`); the service checks it, with every other rule."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


_REQUIRED = _Required()
_NUMBER = {"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"}


def _choices(labels: dict) -> list:
    return [SelectChoice(str(key), label) for key, label in labels.items()]


class StudioForm(FlaskForm):
    # studio details
    name = StringField(_l("שם הסטודיו"), validators=[_REQUIRED], render_kw={"maxlength": 100})
    email = EmailField(
        _l("אימייל"), validators=[_REQUIRED], render_kw={"dir": "ltr", "autocomplete": "email"}
    )
    phone = TelField(_l("טלפון"), render_kw={"dir": "ltr", "autocomplete": "tel"})
    website = URLField(
        _l("אתר"), render_kw={"dir": "ltr", "placeholder": "https://", "autocomplete": "url"}
    )
    address = StringField(
        _l("כתובת"), render_kw={"maxlength": 500, "autocomplete": "street-address"}
    )
    # branding
    primary_color = StringField(
        _l("צבע ראשי"),
        description=_l("צבע הכפתורים, הקישורים והסימונים במערכת, לכל הצוות."),
        render_kw={"type": "color"},
    )
    default_color = BooleanField(_l("צבעי ברירת המחדל של Studio OS"))
    # business and region
    business_type = SelectField(
        _l("סוג העסק"),
        choices=[SelectChoice(k, BUSINESS_TYPE_LABELS[k]) for k in STUDIO_BUSINESS_TYPES],
        validate_choice=False,
    )
    currency = SelectField(_l("מטבע"), choices=_choices(CURRENCIES), validate_choice=False)
    vat_rate = StringField(_l("מע״מ"), validators=[_REQUIRED], render_kw=_NUMBER)
    fiscal_year_start = SelectField(
        _l("תחילת שנת הכספים"), choices=_choices(MONTHS), coerce=str, validate_choice=False
    )
    timezone = SelectField(_l("אזור זמן"), choices=_choices(TIMEZONES), validate_choice=False)
    date_format = SelectField(
        _l("תצוגת תאריכים"), choices=_choices(DATE_FORMATS), validate_choice=False
    )
    # fees
    default_billing_type = SelectField(
        _l("שיטת חיוב ברירת מחדל"), choices=_choices(BILLING_TYPES), validate_choice=False
    )
    default_hourly_rate = StringField(
        _l("תעריף שעתי"), description=_l("חובה בחיוב לפי שעה."), render_kw=_NUMBER
    )
    default_markup_percent = StringField(
        _l("אחוז תוספת על מוצרים"), validators=[_REQUIRED], render_kw=_NUMBER
    )
    markup_type = SelectField(
        _l("אופן חישוב התוספת"), choices=_choices(MARKUP_TYPES), validate_choice=False
    )
    disbursement_percent = StringField(
        _l("אחוז החזר הוצאות"), validators=[_REQUIRED], render_kw=_NUMBER
    )
    default_retainer_percent = StringField(
        _l("מקדמה (אחוז)"), validators=[_REQUIRED], render_kw=_NUMBER
    )

    def with_timezone(self, current: str) -> "StudioForm":
        """Keep a studio's zone selectable even when it is not in the short list."""
        if current and current not in TIMEZONES:
            self.timezone.choices = [SelectChoice(current, current), *self.timezone.choices]
        return self

    def values(self) -> dict:
        return {
            name: field.data for name, field in self._fields.items() if name not in ("csrf_token",)
        }
