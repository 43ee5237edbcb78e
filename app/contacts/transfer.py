"""CSV files in and out of the address book: keeping an uploaded file between the import's
steps, reading it (encoding, delimiter, quotes, header), guessing which field each column
holds, and writing cells Excel opens safely. Import and export are for owners and managers.

    table = read_csv(data)          # raises CsvRejected with a Hebrew message
    table.headers, table.rows       # rows: [CsvRow(number, cells)], numbered as Excel shows them
    guess_mapping(kind, table.headers, specs)   # {column index: field key}

The import (`importing.py`) and the export (`exporting.py`) build on this module.
"""

import csv
import hashlib
import io
import re
import uuid
from dataclasses import dataclass

from flask_babel import gettext as _

from app.contacts import permissions
from app.core.after_commit import after_commit
from app.core.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.files.models import StoredFile
from app.files.services import get_file
from app.files.storage import get_storage, tenant_key
from app.files.validation import UploadRejected, check_name, split_extension

UPLOAD_FOLDER = "imports"
CSV_EXTENSIONS = ("csv", "txt", "tsv")
SPREADSHEET_EXTENSIONS = ("xlsx", "xls", "xlsm", "ods", "numbers")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 100
DELIMITERS = (",", ";", "\t")
# Excel's own file formats (and ZIP/OLE containers generally): not CSV.
SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
LOOKS_LIKE_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
LOOKS_LIKE_PHONE = re.compile(r"\+?[0-9][0-9\-\s().]{7,}")
# Cells Excel would run as a formula ("CSV injection"): =, @, tab and CR always; + and -
# only when followed by more than a number or a phone ("+972 50-1234567" stays as it is).
FORMULA_START = ("=", "@", "\t", "\r")
PLAIN_SIGNED = re.compile(r"[+\-][0-9\s().\-+/]*")


class CsvRejected(Exception):
    """The file cannot be read as a CSV table; `message` says why, in Hebrew."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CsvRow:
    number: int  # the row as a spreadsheet shows it: the header is row 1
    cells: list[str]


@dataclass
class CsvTable:
    headers: list[str]
    rows: list[CsvRow]
    encoding: str
    delimiter: str

    @property
    def encoding_label(self) -> str:
        return {
            "utf-8": "UTF-8",
            "utf-8-sig": _("UTF-8 (עם BOM)"),
            "cp1255": _("Windows-1255 (עברית)"),
            "utf-16": "UTF-16",
        }.get(self.encoding, self.encoding)

    @property
    def delimiter_label(self) -> str:
        return {",": _("פסיק"), ";": _("נקודה-פסיק"), "\t": _("טאב")}[self.delimiter]

    def samples(self, index: int, count: int = 3) -> list[str]:
        """The first few non-empty values of a column (for the mapping step)."""
        found = []
        for row in self.rows:
            value = row.cells[index].strip() if index < len(row.cells) else ""
            if value:
                found.append(value[:60])
                if len(found) == count:
                    break
        return found


# ---------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1255."""
    if not data or not data.strip():
        raise CsvRejected(_("הקובץ ריק."))
    if data.startswith(SPREADSHEET_MAGIC):
        raise CsvRejected(_excel_file())
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError:
            raise CsvRejected(_("לא הצלחנו לקרוא את הקובץ (UTF-16 פגום).")) from None
    if b"\x00" in data:
        raise CsvRejected(_("הקובץ אינו קובץ טקסט. יש להעלות קובץ CSV (טקסט מופרד בפסיקים)."))
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return _checked(data.decode(encoding)), encoding
    except UnicodeDecodeError:
        pass
    try:
        # Excel on a Hebrew Windows saves "CSV (comma delimited)" in Windows-1255.
        return _checked(data.decode("cp1255")), "cp1255"
    except UnicodeDecodeError:
        raise CsvRejected(
            _(
                "לא הצלחנו לזהות את הקידוד של הקובץ. שמרו אותו ב-Excel כ-"
                '"CSV UTF-8 (מופרד בפסיקים)" ונסו שוב.'
            )
        ) from None


def _excel_file() -> str:
    return _(
        "זה קובץ Excel ולא CSV. פתחו אותו ב-Excel ושמרו בשם ← "
        '"CSV UTF-8 (מופרד בפסיקים)", ואז העלו את הקובץ החדש.'
    )


def _checked(text: str) -> str:
    # Binary data sometimes decodes; real tables have (almost) no control characters.
    if len(CONTROL_CHARS.findall(text[:100_000])) > 10:
        raise CsvRejected(_("הקובץ אינו קובץ טקסט. יש להעלות קובץ CSV (טקסט מופרד בפסיקים)."))
    return text.removeprefix("\ufeff")


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines into the most columns,
    the same number on every line (Excel in some locales writes semicolons)."""
    sample = "\n".join(text.splitlines()[:20])
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(1 for r in rows if len(r) == width)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(data: bytes) -> CsvTable:
    """Decode, sniff and parse an uploaded file; raises CsvRejected with a clear message."""
    if len(data) > MAX_BYTES:
        raise CsvRejected(
            _(
                "הקובץ גדול מדי (%(size)s MB). הגודל המרבי הוא %(max)d MB.",
                size=f"{len(data) / 1024 / 1024:.1f}",
                max=MAX_BYTES // (1024 * 1024),
            )
        )
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    records = _parse(text, delimiter)
    if not records:  # blank lines are left out, so the first record is the header
        raise CsvRejected(_("הקובץ ריק."))
    headers = _headers(records[0][1])
    rows = [CsvRow(number, [c.strip() for c in cells]) for number, cells in records[1:]]
    if not rows:
        raise CsvRejected(_("בקובץ יש שורת כותרות בלבד, בלי שורות של אנשי קשר."))
    if len(rows) > MAX_ROWS:
        raise CsvRejected(
            _(
                "בקובץ יותר מ-%(max)s שורות; אפשר לייבא עד %(max)s שורות בכל פעם. "
                "פצלו את הקובץ לכמה קבצים.",
                max=f"{MAX_ROWS:,}",
            )
        )
    return CsvTable(headers, rows, encoding, delimiter)


def _parse(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """[(spreadsheet row number, cells)]; unbalanced quotes name the line they start on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records, last_line = [], 0
    try:
        for number, cells in enumerate(reader, start=1):
            last_line = reader.line_num
            if any(c.strip() for c in cells):
                records.append((number, cells))
            if len(records) > MAX_ROWS + 1:
                break  # the header and one row too many: read_csv refuses the file
    except csv.Error as error:
        start = last_line + 1
        if "field larger than field limit" in str(error):
            message = _("בשורה %(line)d יש תא ארוך מדי.", line=start)
        else:
            message = _(
                'הקובץ אינו CSV תקין: מירכאות (") שנפתחו ולא נסגרו, החל מהשורה %(line)d. '
                "בדקו את השורה הזאת ב-Excel ושמרו שוב כ-CSV.",
                line=start,
            )
        raise CsvRejected(message) from None
    return records


def _headers(cells: list[str]) -> list[str]:
    headers = [c.strip().strip('"').strip() for c in cells]
    while headers and not headers[-1]:
        headers.pop()  # Excel sometimes adds empty columns at the end
    if len(headers) > MAX_COLUMNS:
        raise CsvRejected(
            _("בקובץ יותר מדי עמודות (%(count)d; עד %(max)d).", count=len(headers), max=MAX_COLUMNS)
        )
    data_like = [
        h for h in headers if LOOKS_LIKE_EMAIL.fullmatch(h) or LOOKS_LIKE_PHONE.fullmatch(h)
    ]
    if data_like:
        raise CsvRejected(
            _(
                "השורה הראשונה בקובץ צריכה להכיל את שמות העמודות (למשל: שם, טלפון, אימייל), "
                "אבל נראה שיש בה נתונים (%(value)s). הוסיפו שורת כותרות בראש הקובץ.",
                value=data_like[0],
            )
        )
    return [h or _("עמודה %(number)d", number=i) for i, h in enumerate(headers, start=1)]


def unescape_cell(value: str) -> str:
    """Undo `safe_cell`: our own exports put an apostrophe before formula-like text."""
    if value.startswith("'") and value[1:2] and value[1] in "=+-@":
        return value[1:]
    return value


# ---------------------------------------------------------------------------------------------
# The uploaded file: kept in file storage between the import's steps, referenced by its id
# ---------------------------------------------------------------------------------------------


def require_transfer(actor) -> None:
    if not permissions.can_transfer(actor):
        raise PermissionDenied(_("רק בעלי הסטודיו ומנהלים יכולים לייבא ולייצא אנשי קשר."))


def save_upload(actor, file_storage) -> tuple[StoredFile, CsvTable]:
    """Check an uploaded CSV and keep it for the next steps; errors under "file"."""
    require_transfer(actor)

    def refuse(message):
        raise ValidationFailed({"file": [message]})

    if file_storage is None or not getattr(file_storage, "filename", None):
        refuse(_("בחרו קובץ CSV להעלאה."))
    try:
        name = check_name(file_storage.filename)
    except UploadRejected as error:
        refuse(error.message)
    extension = split_extension(name)
    if extension in SPREADSHEET_EXTENSIONS:
        refuse(_excel_file())
    if extension not in CSV_EXTENSIONS:
        refuse(_("יש להעלות קובץ CSV (סיומת ‎.csv)."))
    data = file_storage.stream.read(MAX_BYTES + 1)
    try:
        table = read_csv(data)
    except CsvRejected as error:
        refuse(error.message)
    file_id = uuid.uuid4()
    key = tenant_key(actor.tenant_id, UPLOAD_FOLDER, str(file_id), f"upload.{extension}")
    get_storage().save(key, io.BytesIO(data), "text/csv")
    stored = StoredFile(
        id=file_id,
        tenant_id=actor.tenant_id,
        key=key,
        original_name=name,
        extension=extension,
        content_type="text/csv",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_user_id=actor.user_id,
    )
    db.session.add(stored)
    db.session.flush()
    return stored, table


def get_upload(actor, upload_id) -> StoredFile | None:
    """The actor's own import upload of the current studio (None otherwise: a 404)."""
    stored = get_file(upload_id)
    if stored is None or stored.uploaded_by_user_id != actor.user_id:
        return None
    parts = stored.key.split("/")
    return stored if len(parts) > 2 and parts[1] == UPLOAD_FOLDER else None


def load_table(stored: StoredFile) -> CsvTable:
    """Read the kept file again (raises CsvRejected, or FileNotFoundError when it is gone)."""
    with get_storage().open(stored.key) as fh:
        return read_csv(fh.read())


def discard_upload(stored: StoredFile) -> None:
    """Forget the upload once imported (the bytes go after the commit)."""
    key = stored.key
    db.session.delete(stored)
    db.session.flush()
    storage = get_storage()
    after_commit(lambda: storage.delete(key))


# ---------------------------------------------------------------------------------------------
# Column headers → fields
# ---------------------------------------------------------------------------------------------

# Besides each field's label (Hebrew, and English when translated) and its key: what other
# address books and spreadsheets call these columns.
# fmt: off
ALIASES = {
    "name": ("full name", "contact name", "client name", "customer name", "supplier name",
             "שם מלא", "שם הלקוח", "שם לקוח", "שם איש הקשר", "שם הספק", "שם ספק",
             "שם בעל המקצוע"),
    "email": ("e-mail", "mail", "email address", "e-mail address", "אי-מייל", "מייל", 'דוא"ל',
              "דואר אלקטרוני", "כתובת מייל", "כתובת אימייל", "כתובת דואל"),
    "phone": ("telephone", "tel", "phone number", "work phone", "business phone", "טל",
              "מספר טלפון", "טלפון משרד", "טלפון עבודה"),
    "mobile": ("cell", "cellphone", "cell phone", "mobile phone", "טלפון נייד", "סלולרי",
               "פלאפון"),
    "address": ("street", "street address", "רחוב"),
    "city": ("town", "יישוב", "ישוב"),
    "company_number": ("company number", "company id", "vat", "vat number", "tax id",
                       "business number", 'ח"פ', 'ע"מ', "ח.פ", "ע.מ", "מספר עוסק", "מספר חברה"),
    "contact_person": ("contact",),
    "notes": ("note", "comments", "comment", "remarks", "הערה"),
    "website": ("web site", "site", "url", "web", "אתר אינטרנט"),
    "lead_source": ("source", "lead source", "מקור", "מקור הגעה"),
    "status": ("מצב",),
    "type": ("client type", "סוג"),
    "preferred_communication": ("preferred channel", "preferred communication"),
    "lead_score": ("score",),
    "lead_stage": ("stage", "שלב"),
    "budget_range": ("budget", "תקציב"),
    "referred_by": ("referral", "referred by", "הפניה", "ממליץ"),
    "category_key": ("category", "תחום"),
    "trade_key": ("trade", "profession", "occupation", "תחום"),
    "company_name": ("company", "חברה", "שם חברה"),
    "license_number": ("license", "licence", "licence number", "רישיון"),
    "insurance_expiry": ("insurance", "ביטוח"),
    "rating": ("דירוג",),
    "specialties": ("specialities", "התמחות"),
    "style_preferences": ("style", "סגנון"),
}
# fmt: on
NOT_A_NAME = re.compile(r"[\s_\-.'\"/()\u05f3\u05f4:]+")


def _normal(text: str) -> str:
    return NOT_A_NAME.sub("", str(text).casefold())


def _names_of(spec) -> set[str]:
    label = spec.label
    hebrew = getattr(label, "_args", (None,))[0]  # the msgid, whatever the UI language
    names = {str(label), spec.key, spec.key.removesuffix("_key"), *ALIASES.get(spec.key, ())}
    return {_normal(n) for n in names | ({hebrew} if hebrew else set()) if n}


def guess_mapping(kind: str, headers: list[str], specs) -> dict[int, str]:
    """{column index: field key} for the headers that name a field; each field once.
    A mobile column fills the phone of suppliers and professionals (they have one phone)."""
    names = {spec.key: _names_of(spec) for spec in specs}
    if "mobile" not in names and "phone" in names:
        names["phone"] |= {_normal(n) for n in ALIASES["mobile"] + ("mobile", "נייד")}
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        wanted = _normal(header)
        for key, known in names.items():
            if wanted in known and key not in mapping.values():
                mapping[index] = key
                break
    return mapping


def default_specs(kind: str, specs) -> list:
    """Required fields with a fixed set of values (client type and status, a professional's
    trade): the mapping step offers one value for rows (or files) without them."""
    return [s for s in specs if s.required and s.type in ("choice", "config")]


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def safe_cell(value: str) -> str:
    """Text that Excel shows as text, never runs as a formula."""
    if value.startswith(FORMULA_START) or (
        value.startswith(("+", "-")) and not PLAIN_SIGNED.fullmatch(value)
    ):
        return "'" + value
    return value


def write_csv(headers: list[str], rows) -> bytes:
    """UTF-8 with a BOM (so Excel reads Hebrew) and CRLF line ends, every cell made safe."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([safe_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(str(c)) for c in row])
    return ("\ufeff" + text.getvalue()).encode("utf-8")
