"""Importing contacts from a CSV file, in steps: upload → map columns → check every row →
write (all or nothing).

    stored, table = transfer.save_upload(actor, request.files["file"])  # kept in storage
    plan, errors = ImportPlan.from_form(kind, form, table, specs)      # column → field
    check = check_rows(actor, table, plan)                              # writes nothing
    outcome = run_import(actor, table, plan)                            # the caller commits

Every row is cleaned by `fields.clean_values` and written by `services.create_contact`, so
an imported contact passes exactly the rules of the create form and is logged the same way.
Keeping the upload, reading the CSV and guessing columns live in `transfer.py`.
"""

import json
import time
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import or_, select

from app.contacts import services
from app.contacts.fields import clean_value, clean_values, phone_digits, spec_for, visible_specs
from app.contacts.models import CONTACT_MODELS, Client
from app.contacts.transfer import (
    CsvTable,
    default_specs,
    require_transfer,
    unescape_cell,
)
from app.core.errors import ValidationFailed
from app.extensions import db

DUPLICATE_CHOICES = ("skip", "import")
LOOKUP_CHUNK = 400


# ---------------------------------------------------------------------------------------------
# The plan: which column fills which field, defaults, and what to do with duplicates
# ---------------------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    kind: str
    mapping: dict[int, str] = field(default_factory=dict)  # column index → field key
    defaults: dict[str, str] = field(default_factory=dict)  # field key → raw value
    duplicates: str = "skip"
    valid_only: bool = False

    @classmethod
    def from_form(cls, kind: str, form, table: CsvTable, specs) -> tuple["ImportPlan", list]:
        """The plan posted by the mapping (or preview) step, and what is wrong with it."""
        by_key = {s.key: s for s in specs}
        errors, mapping = [], {}
        for index, header in enumerate(table.headers):
            key = (form.get(f"col_{index}") or "").strip()
            if not key:
                continue
            if key not in by_key:
                errors.append(_('העמודה "%(column)s": שדה לא מוכר.', column=header))
            elif key in mapping.values():
                errors.append(
                    _(
                        'השדה "%(field)s" נבחר ליותר מעמודה אחת.',
                        field=by_key[key].label,
                    )
                )
            else:
                mapping[index] = key
        defaults = {}
        for spec in default_specs(kind, specs):
            raw = (form.get(f"default_{spec.key}") or "").strip()
            if not raw:
                continue
            _value, error = clean_value(spec, raw)
            if error:
                errors.append(f"{spec.label}: {error}")
            else:
                defaults[spec.key] = raw
        if not mapping:
            errors.append(_("בחרו לפחות עמודה אחת לייבוא."))
        for spec in specs:
            if spec.required and spec.key not in mapping.values() and spec.key not in defaults:
                errors.append(_('בחרו עמודה לשדה החובה "%(field)s".', field=spec.label))
        duplicates = form.get("duplicates")
        plan = cls(
            kind=kind,
            mapping=mapping,
            defaults=defaults,
            duplicates=duplicates if duplicates in DUPLICATE_CHOICES else "skip",
            valid_only=form.get("valid_only") == "1",
        )
        return plan, errors

    def fields(self, **overrides) -> list[tuple[str, str]]:
        """The plan as form fields (hidden inputs, query strings)."""
        values = {
            **{f"col_{i}": key for i, key in sorted(self.mapping.items())},
            **{f"default_{k}": v for k, v in self.defaults.items()},
            "duplicates": self.duplicates,
        }
        if self.valid_only:
            values["valid_only"] = "1"
        values.update(overrides)
        return [(k, v) for k, v in values.items() if v not in (None, "")]

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "mapping": {str(i): k for i, k in self.mapping.items()},
                "defaults": self.defaults,
                "duplicates": self.duplicates,
                "valid_only": self.valid_only,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> "ImportPlan":
        data = json.loads(text)
        return cls(
            kind=data["kind"],
            mapping={int(i): k for i, k in data["mapping"].items()},
            defaults=data.get("defaults") or {},
            duplicates=data.get("duplicates", "skip"),
            valid_only=bool(data.get("valid_only")),
        )


# ---------------------------------------------------------------------------------------------
# Checking every row (the preview): nothing is written
# ---------------------------------------------------------------------------------------------


@dataclass
class RowCheck:
    number: int
    data: dict  # field key → raw text, as create_contact takes it
    values: dict = field(default_factory=dict)  # the cleaned values
    errors: dict = field(default_factory=dict)  # field key ("" for the row) → [message]
    existing: list = field(default_factory=list)  # [services.Duplicate]
    same_as_row: int | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def duplicate(self) -> bool:
        return bool(self.existing) or self.same_as_row is not None


@dataclass
class ImportCheck:
    kind: str
    plan: ImportPlan
    rows: list[RowCheck]

    @property
    def valid_rows(self) -> list[RowCheck]:
        return [r for r in self.rows if r.valid]

    @property
    def invalid_rows(self) -> list[RowCheck]:
        return [r for r in self.rows if not r.valid]

    @property
    def duplicate_rows(self) -> list[RowCheck]:
        return [r for r in self.rows if r.valid and r.duplicate]

    def rows_for(self, duplicates: str) -> list[RowCheck]:
        """The rows an import would write: valid ones, without duplicates when skipping."""
        return [r for r in self.valid_rows if not (duplicates == "skip" and r.duplicate)]

    @property
    def rows_to_import(self) -> list[RowCheck]:
        return self.rows_for(self.plan.duplicates)

    def error_lines(self) -> list[str]:
        """ "שורה 7: אימייל — כתובת האימייל אינה תקינה", one line per error."""
        lines = []
        for row in self.invalid_rows:
            for key, messages in row.errors.items():
                spec = spec_for(self.kind, key)
                for message in messages:
                    if spec is None:
                        lines.append(
                            _("שורה %(row)d: %(message)s", row=row.number, message=message)
                        )
                    else:
                        lines.append(
                            _(
                                "שורה %(row)d: %(field)s — %(message)s",
                                row=row.number,
                                field=spec.label,
                                message=message,
                            )
                        )
        return lines


def _row_data(plan: ImportPlan, cells: list[str]) -> dict:
    data = {}
    for index, key in plan.mapping.items():
        value = unescape_cell(cells[index]) if index < len(cells) else ""
        data[key] = value
    for key, value in plan.defaults.items():
        if not data.get(key):
            data[key] = value
    return data


def check_rows(actor, table: CsvTable, plan: ImportPlan, progress=None) -> ImportCheck:
    """Clean every row as the create form would, and find duplicates (in the studio and
    inside the file). Writes nothing."""
    kind = plan.kind
    specs = visible_specs(kind, actor, editing=True)
    width = len(table.headers)
    rows = []
    for position, csv_row in enumerate(table.rows):
        data = _row_data(plan, csv_row.cells)
        values, errors = clean_values(kind, data, specs=specs)
        if kind == "client" and not errors:
            # The create service's client rules (a lost lead needs a reason).
            errors = services.check_client_rules(dict(values))
        if any(c.strip() for c in csv_row.cells[width:]):
            errors[""] = [_("בשורה יש יותר ערכים מעמודות בשורת הכותרות.")]
        rows.append(RowCheck(csv_row.number, data, values, errors))
        if progress is not None and position % 100 == 0:
            progress(position, len(table.rows))
    _mark_duplicates(rows)
    return ImportCheck(kind, plan, rows)


def _keys(values: dict) -> tuple[str | None, set[str]]:
    email = (values.get("email") or "").lower() or None
    digits = {phone_digits(values.get(k)) for k in ("phone", "mobile") if values.get(k)}
    return email, {d for d in digits if d and len(d) >= 7}


def _mark_duplicates(rows: list[RowCheck]) -> None:
    """Valid rows matching an existing contact (e-mail, or a phone's digits, as
    services.find_duplicates matches them) or an earlier valid row of the file."""
    valid = [r for r in rows if r.valid]
    emails, digits = set(), set()
    for row in valid:
        email, phones = _keys(row.values)
        emails |= {email} if email else set()
        digits |= phones
    by_email, by_digits = _existing(emails, digits)
    seen: dict[str, int] = {}
    for row in valid:
        email, phones = _keys(row.values)
        found = {}
        if email and email in by_email:
            found[by_email[email].id] = services.Duplicate(by_email[email], "email")
        for d in phones:
            if d in by_digits and by_digits[d].id not in found:
                found[by_digits[d].id] = services.Duplicate(by_digits[d], "phone")
        row.existing = list(found.values())
        keys = ([f"e:{email}"] if email else []) + [f"p:{d}" for d in sorted(phones)]
        earlier = [seen[k] for k in keys if k in seen]
        row.same_as_row = min(earlier) if earlier else None
        for key in keys:
            seen.setdefault(key, row.number)


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(emails: set, digits: set) -> tuple[dict, dict]:
    """{email: contact} and {phone digits: contact} over the three kinds, a few queries."""
    by_email, by_digits = {}, {}
    for model in CONTACT_MODELS.values():
        for chunk in _chunks(sorted(emails)):
            for contact in db.session.scalars(select(model).where(model.email.in_(chunk))):
                by_email.setdefault(contact.email, contact)
        for chunk in _chunks(sorted(digits)):
            conditions = [model.phone_digits.in_(chunk)]
            if model is Client:
                conditions.append(Client.mobile_digits.in_(chunk))
            for contact in db.session.scalars(select(model).where(or_(*conditions))):
                for value in (contact.phone_digits, getattr(contact, "mobile_digits", None)):
                    if value in digits:
                        by_digits.setdefault(value, contact)
    return by_email, by_digits


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class ImportFailed(Exception):
    """Nothing may be written: `message` says why (Hebrew). The caller rolls back."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    skipped_invalid: int
    skipped_duplicates: int

    @property
    def skipped(self) -> int:
        return self.skipped_invalid + self.skipped_duplicates

    @property
    def message(self) -> str:
        created = (
            ngettext("נוצר איש קשר אחד.", "נוצרו %(num)d אנשי קשר.", self.created)
            if self.created
            else _("לא נוצרו אנשי קשר חדשים.")
        )
        if not self.skipped:
            return created
        return created + " " + ngettext("שורה אחת דולגה.", "%(num)d שורות דולגו.", self.skipped)


class _Progress:
    """Report progress at most every half second, so a long import does not spend its time
    writing progress (SQLite even refuses those writes while the import holds the lock)."""

    def __init__(self, callback):
        self.callback = callback
        self.last = 0.0

    def __call__(self, percent: int, message: str, force: bool = False) -> None:
        now = time.monotonic()
        if self.callback is not None and (force or now - self.last >= 0.5):
            self.last = now
            self.callback(percent, message)


def run_import(actor, table: CsvTable, plan: ImportPlan, progress=None) -> ImportOutcome:
    """Check every row again, then create the contacts; raises ImportFailed (the caller
    rolls back, so a failure leaves nothing behind)."""
    require_transfer(actor)
    report = _Progress(progress)
    report(1, _("בודק את השורות…"), force=True)
    check = check_rows(
        actor,
        table,
        plan,
        progress=lambda done, total: report(1 + done * 19 // max(total, 1), _("בודק את השורות…")),
    )
    if check.invalid_rows and not plan.valid_only:
        lines = check.error_lines()
        raise ImportFailed(
            ngettext(
                "בשורה אחת יש שגיאה; לא יובא דבר. %(first)s",
                "ב-%(num)d שורות יש שגיאות; לא יובא דבר. %(first)s",
                len(check.invalid_rows),
                first=lines[0] if lines else "",
            )
        )
    rows = check.rows_to_import
    with services.one_announcement():
        _create_rows(actor, plan, rows, report)
    return ImportOutcome(
        created=len(rows),
        skipped_invalid=len(check.invalid_rows),
        skipped_duplicates=len(check.valid_rows) - len(rows),
    )


def _create_rows(actor, plan: ImportPlan, rows: list, report) -> None:
    for done, row in enumerate(rows, start=1):
        try:
            services.create_contact(actor, plan.kind, row.data)
        except ValidationFailed as error:
            raise ImportFailed(
                _(
                    "שורה %(row)d: %(message)s. לא יובא דבר.",
                    row=row.number,
                    message="; ".join(m.rstrip(".") for m in error.messages),
                )
            ) from error
        report(
            20 + done * 79 // max(len(rows), 1),
            _("נוצרו %(done)d מתוך %(total)d אנשי קשר…", done=done, total=len(rows)),
        )
