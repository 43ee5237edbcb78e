"""Quick add: one line → a task. Hebrew or English, in any order:

    "Call supplier tomorrow @dana !high"        → title "Call supplier", due tomorrow, Dana, high
    "להתקשר לספק מחר @דנה !גבוהה"               → title "להתקשר לספק", due tomorrow, Dana, high
    "מדידות באתר ביום חמישי !דחוף"               → due the coming Thursday, urgent
    "Send invoice in 3 days", "הזמנה בעוד שבועיים", "next week" / "שבוע הבא", "12/5", "12/05/2027"

Dates: today/היום, tomorrow/מחר, מחרתיים (day after tomorrow), a weekday (the next such day,
never today: "יום שני", "ביום שני", "monday", "on monday"), "in N days/weeks" / "בעוד N
ימים/שבועות" (also יומיים, שבועיים, "in a week"), "next week" / "שבוע הבא" (its Sunday), and
dd/mm or dd/mm/yyyy (a dd/mm already past this year means next year). A leading "by", "on",
"due", "until" or "עד" is part of the phrase. The first date found is used.
Assignee: "@" + first name, last name, first_last, or the e-mail's part before "@", of someone
who may be assigned; "@me" / "@אני" is the author. Ambiguous or unknown: left in the title,
with a warning. Priority: !low !medium !high !urgent, !נמוכה !בינונית !גבוהה !דחוף (and
close forms). "Today" is the studio's date.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _

WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Python's weekday(): Monday is 0.
WEEKDAYS_HE = {"שני": 0, "שלישי": 1, "רביעי": 2, "חמישי": 3, "שישי": 4, "שבת": 5, "ראשון": 6}
PRIORITY_WORDS = {
    "low": "low",
    "medium": "medium",
    "med": "medium",
    "normal": "medium",
    "high": "high",
    "urgent": "urgent",
    "נמוכה": "low",
    "נמוך": "low",
    "בינונית": "medium",
    "בינוני": "medium",
    "רגילה": "medium",
    "גבוהה": "high",
    "גבוה": "high",
    "דחוף": "urgent",
    "דחופה": "urgent",
}
HE_NUMBERS = {"יום": 1, "יומיים": 2, "שבוע": 7, "שבועיים": 14}
EN_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}

# A word boundary that also works next to Hebrew letters (\b does, but "-" and "/" need care).
B = r"(?<![\w/])"
E = r"(?![\w/])"
LEAD_EN = r"(?:(?:by|on|due|until)\s+)?"
LEAD_HE = r"(?:עד\s+)?"
LEAD_NUM = r"(?:(?:by|on|due|until)\s+|עד\s+)?(?:ב-?|ל-?)?"
DATE_PATTERNS = (
    ("day_after", re.compile(B + LEAD_EN + r"(?:the\s+)?day\s+after\s+tomorrow" + E, re.I)),
    ("day_after", re.compile(B + LEAD_HE + r"(?:ל)?מחרתיים" + E)),
    ("today", re.compile(B + LEAD_EN + r"today" + E, re.I)),
    # Not "סדר היום" (an agenda).
    ("today", re.compile(B + LEAD_HE + r"(?<!סדר )(?:ל)?היום" + E)),
    ("tomorrow", re.compile(B + LEAD_EN + r"tomorrow" + E, re.I)),
    ("tomorrow", re.compile(B + LEAD_HE + r"(?:ל)?מחר" + E)),
    ("next_week", re.compile(B + LEAD_EN + r"next\s+week" + E, re.I)),
    ("next_week", re.compile(B + LEAD_HE + r"(?:ב|ל)?שבוע\s+הבא" + E)),
    (
        "in_en",
        re.compile(B + r"in\s+(\d{1,3}|a|an|one|two|three|four|five)\s+(days?|weeks?)" + E, re.I),
    ),
    ("in_he", re.compile(B + r"(?:תוך|בעוד)\s+(\d{1,3})\s+(ימים|יום|שבועות|שבוע)" + E)),
    ("in_he_word", re.compile(B + r"(?:תוך|בעוד)\s+(יום|יומיים|שבוע|שבועיים)" + E)),
    (
        "weekday_en",
        re.compile(B + LEAD_EN + r"(?:next\s+)?(" + "|".join(WEEKDAYS_EN) + r")" + E, re.I),
    ),
    (
        "weekday_he",
        re.compile(
            B + LEAD_HE + r"(?:ב|ל)?יום\s+(" + "|".join(WEEKDAYS_HE) + r")(?:\s+הקרוב)?" + E
        ),
    ),
    ("weekday_he", re.compile(B + LEAD_HE + r"(?:ב|ל)(שבת)(?:\s+הקרובה)?" + E)),
    ("numeric", re.compile(B + LEAD_NUM + r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?" + E, re.I)),
    # With dots only with a year: "3.5" is more often a number than the 3rd of May.
    ("numeric", re.compile(B + LEAD_NUM + r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})" + E, re.I)),
)
MENTION = re.compile(r"(?<![\w@])@([\w.\-]+)", re.UNICODE)
BANG = re.compile(r"(?<![\w!])!([\w\-]+)", re.UNICODE)
ME_WORDS = ("me", "אני", "עצמי")


@dataclass
class Parsed:
    title: str
    due_date: date | None = None
    assignee_id: object = None
    priority: str | None = None
    warnings: list = field(default_factory=list)


def _next_weekday(today: date, weekday: int) -> date:
    days = (weekday - today.weekday()) % 7
    return today + timedelta(days=days or 7)


def _numeric_date(today: date, day: str, month: str, year: str | None):
    try:
        if year:
            full = int(year) + (2000 if len(year) == 2 else 0)
            return date(full, int(month), int(day))
        found = date(today.year, int(month), int(day))
        return found if found >= today else date(today.year + 1, int(month), int(day))
    except ValueError:
        return None


def _date_from(kind: str, match, today: date):
    if kind == "today":
        return today
    if kind == "tomorrow":
        return today + timedelta(days=1)
    if kind == "day_after":
        return today + timedelta(days=2)
    if kind == "next_week":
        sunday = (6 - today.weekday()) % 7 or 7  # the coming Sunday (Israeli week)
        return today + timedelta(days=sunday)
    if kind == "in_en":
        raw, unit = match.group(1).lower(), match.group(2).lower()
        count = int(raw) if raw.isdigit() else EN_WORD_NUMBERS[raw]
        return today + timedelta(days=count * (7 if unit.startswith("week") else 1))
    if kind == "in_he":
        count, unit = int(match.group(1)), match.group(2)
        return today + timedelta(days=count * (7 if unit.startswith("שבוע") else 1))
    if kind == "in_he_word":
        return today + timedelta(days=HE_NUMBERS[match.group(1)])
    if kind == "weekday_en":
        return _next_weekday(today, WEEKDAYS_EN.index(match.group(1).lower()))
    if kind == "weekday_he":
        return _next_weekday(today, WEEKDAYS_HE[match.group(1)])
    return _numeric_date(today, match.group(1), match.group(2), match.group(3))


def _cut(text: str, start: int, end: int) -> str:
    return text[:start] + " " + text[end:]


def _find_date(text: str, today: date, warnings: list) -> tuple[str, date | None]:
    """The first date phrase (by position) → (text without it, date)."""
    found = []
    for kind, pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            found.append((match.start(), -(match.end() - match.start()), kind, match))
    if not found:
        return text, None
    found.sort(key=lambda f: (f[0], f[1]))
    _start, _length, kind, match = found[0]
    due = _date_from(kind, match, today)
    if due is None:
        warnings.append(_('התאריך "%(text)s" אינו קיים, ולכן נשאר בכותרת.', text=match.group(0)))
        return text, None
    return _cut(text, match.start(), match.end()), due


def _match_people(token: str, people) -> list:
    token = token.casefold().rstrip(".")
    matches = []
    for person in people:
        first, last = person.first_name.casefold(), (person.last_name or "").casefold()
        names = {
            first,
            last,
            f"{first}_{last}".replace(" ", "_"),
            f"{first}.{last}".replace(" ", "."),
            person.email.split("@")[0].casefold(),
            person.email.casefold(),
        }
        if token in names - {""}:
            matches.append(person)
    return matches


def _cut_all(text: str, spans) -> str:
    for start, end in sorted(spans, reverse=True):
        text = _cut(text, start, end)
    return text


def _find_assignee(text: str, people, me, warnings: list) -> tuple[str, object]:
    """The first mention that names exactly one person; the others stay in the title."""
    chosen, spans = None, []
    for match in MENTION.finditer(text):
        token = match.group(1)
        if token.casefold() in ME_WORDS and me is not None:
            candidates = [p for p in people if p.user_id == me]
            if not candidates:
                warnings.append(_("אי אפשר להקצות לך את המשימה הזו (אינך בצוות הפרויקט)."))
                continue
        else:
            candidates = _match_people(token, people)
        if len(candidates) == 1:
            if chosen is None or chosen == candidates[0].user_id:
                chosen = candidates[0].user_id
                spans.append(match.span())
            else:
                warnings.append(_("למשימה יש אחראי/ת אחד/ת: @%(name)s נשאר בכותרת.", name=token))
        elif candidates:
            example = f"{candidates[0].first_name}_{candidates[0].last_name}".replace(" ", "_")
            warnings.append(
                _(
                    "@%(name)s מתאים לכמה אנשים (%(names)s), ולכן נשאר בכותרת. "
                    "כתבו שם מלא, למשל @%(example)s.",
                    name=token,
                    names=", ".join(p.full_name for p in candidates[:4]),
                    example=example,
                )
            )
        else:
            warnings.append(_("@%(name)s לא נמצא בצוות, ולכן נשאר בכותרת.", name=token))
    return _cut_all(text, spans), chosen


def _find_priority(text: str, warnings: list) -> tuple[str, str | None]:
    """The first known "!word"; every known one leaves the title, unknown ones stay."""
    chosen, spans = None, []
    for match in BANG.finditer(text):
        word = match.group(1).casefold()
        if word in PRIORITY_WORDS:
            chosen = chosen or PRIORITY_WORDS[word]
            spans.append(match.span())
        else:
            warnings.append(
                _(
                    'העדיפות "!%(word)s" לא זוהתה (אפשר: !נמוכה, !בינונית, !גבוהה, !דחוף).',
                    word=match.group(1),
                )
            )
    return _cut_all(text, spans), chosen


def parse(line: str, today: date, people=(), me=None) -> Parsed:
    """Pure: the line's parts. `people` are who may be assigned (objects with user_id,
    first_name, last_name, email, full_name); `me` is the author's user id."""
    warnings: list = []
    text = " ".join(str(line or "").split())
    text, priority = _find_priority(text, warnings)
    text, assignee = _find_assignee(text, list(people), me, warnings)
    text, due = _find_date(text, today, warnings)
    title = " ".join(text.split()).strip(" ,;:-–")
    return Parsed(title, due, assignee, priority, warnings)


def quick_add(actor, line: str, project=None):
    """Create a task from one line: (task, warnings). Raises ValidationFailed (e.g. nothing
    left for the title)."""
    from app.core.errors import ValidationFailed
    from app.tasks import queries, services

    people = queries.assignable_people(project.id if project is not None else None)
    parsed = parse(line, queries.studio_today(actor), people, actor.user_id)
    if not parsed.title:
        raise ValidationFailed({"line": [_("כתבו מה צריך לעשות (לדוגמה: להתקשר לספק מחר).")]})
    assignee = parsed.assignee_id or (actor.user_id if project is None else None)
    data = {
        "title": parsed.title,
        "due_date": parsed.due_date.isoformat() if parsed.due_date else "",
        # A general task nobody is named on is the author's own (it shows in "my tasks").
        "assigned_user_id": str(assignee) if assignee else "",
        "priority": parsed.priority or "medium",
    }
    try:
        task = services.create_task(actor, data, project=project)
    except ValidationFailed as error:
        raise ValidationFailed({"line": error.messages}) from error
    return task, parsed.warnings
