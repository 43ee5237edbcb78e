"""Upload checks: file name, blocked extensions, size, and the type read from the content."""

import filetype
from flask_babel import gettext as _

FORBIDDEN_NAME_CHARS = '/\\:*?"<>|'
MAX_NAME_LENGTH = 255

# The spec's list (.exe .bat .cmd .sh .ps1 .js .vbs .jar) plus other Windows executables.
BLOCKED_EXTENSIONS = frozenset(
    [
        "exe",
        "bat",
        "cmd",
        "sh",
        "ps1",
        "js",
        "vbs",
        "jar",
        "msi",
        "dll",
        "scr",
        "com",
        "cpl",
        "pif",
        "vbe",
        "jse",
        "wsf",
        "wsh",
        "hta",
        "msp",
        "lnk",
    ]
)

# Extension → MIME types its content may have (checked by magic bytes).
OFFICE_OLE = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}
EXTENSION_TYPES: dict[str, set[str]] = {
    "pdf": {"application/pdf"},
    "doc": OFFICE_OLE,
    "xls": OFFICE_OLE,
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "gif": {"image/gif"},
    "webp": {"image/webp"},
    "tif": {"image/tiff"},
    "tiff": {"image/tiff"},
    "dwg": {"image/vnd.dwg"},
    "mp4": {"video/mp4", "video/x-m4v", "video/quicktime"},
    "mov": {"video/quicktime", "video/mp4"},
    "zip": {"application/zip"},
    "rar": {"application/x-rar-compressed"},
}
# Text formats have no magic bytes: they must decode as UTF-8 (and SVG must look like SVG).
TEXT_TYPES = {"svg": "image/svg+xml", "csv": "text/csv", "txt": "text/plain"}
EXECUTABLE_TYPES = {"application/x-msdownload", "application/x-executable", "application/wasm"}

TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "image/tiff": "TIFF",
    "application/zip": "ZIP",
    "application/x-msdownload": "EXE",
    "application/x-executable": "ELF",
}


class UploadRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def split_extension(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else ""


def check_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise UploadRejected(_("לקובץ אין שם. בחרו קובץ ונסו שוב."))
    if len(name) > MAX_NAME_LENGTH:
        raise UploadRejected(
            _("שם הקובץ ארוך מדי (%(count)d תווים); המקסימום הוא 255.", count=len(name))
        )
    bad = sorted({c for c in name if c in FORBIDDEN_NAME_CHARS or ord(c) < 32})
    if bad:
        raise UploadRejected(
            _(
                'שם הקובץ מכיל תווים אסורים (%(chars)s). אסור להשתמש ב: / \\ : * ? " < > |',
                chars=" ".join(c if ord(c) >= 32 else f"\\x{ord(c):02x}" for c in bad),
            )
        )
    extension = split_extension(name)
    if extension in BLOCKED_EXTENSIONS:
        raise UploadRejected(_("קבצים מסוג ‎.%(ext)s חסומים מטעמי אבטחה.", ext=extension))
    return name


def check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise UploadRejected(_("הקובץ ריק."))
    if size > max_bytes:
        raise UploadRejected(
            _(
                "הקובץ גדול מדי (%(size)s MB). הגודל המרבי הוא %(max)d MB.",
                size=f"{size / 1024 / 1024:.1f}",
                max=max_bytes // (1024 * 1024),
            )
        )


def _type_name(mime: str) -> str:
    return TYPE_NAMES.get(mime) or mime


def detect_type(name: str, head: bytes) -> str:
    """The MIME type from the content; refuses unknown types and content ≠ extension."""
    extension = split_extension(name)
    kind = filetype.guess(head)
    detected = kind.mime if kind else None
    if detected in EXECUTABLE_TYPES:
        raise UploadRejected(
            _("הקובץ הוא תוכנה להרצה (%(type)s) ולכן נחסם.", type=_type_name(detected))
        )
    if extension in TEXT_TYPES:
        if detected is not None or not _is_text(head):
            raise UploadRejected(_("תוכן הקובץ אינו תואם לסיומת ‎.%(ext)s.", ext=extension))
        if extension == "svg" and b"<svg" not in head.lower():
            raise UploadRejected(_("תוכן הקובץ אינו תואם לסיומת ‎.%(ext)s.", ext=extension))
        return TEXT_TYPES[extension]
    allowed = EXTENSION_TYPES.get(extension)
    if allowed is None:
        raise UploadRejected(
            _(
                "סוג הקובץ ‎.%(ext)s אינו נתמך. אפשר להעלות מסמכים (PDF, Word, Excel), תמונות, "
                "שרטוטי DWG, סרטונים (MP4, MOV) וארכיונים (ZIP, RAR).",
                ext=extension or "?",
            )
        )
    if detected is None:
        raise UploadRejected(
            _(
                "לא הצלחנו לזהות את סוג הקובץ מתוכנו; ייתכן שהוא פגום או שאינו ‎.%(ext)s.",
                ext=extension,
            )
        )
    if detected not in allowed:
        raise UploadRejected(
            _(
                "תוכן הקובץ אינו תואם לסיומת ‎.%(ext)s: זוהה קובץ %(type)s.",
                ext=extension,
                type=_type_name(detected),
            )
        )
    return detected


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # the head may cut a character in half
        return exc.start >= len(head) - 3
    return True
