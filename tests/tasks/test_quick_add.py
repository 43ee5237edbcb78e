"""Quick add: one line → title, due date, assignee, priority (Hebrew and English)."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.core.errors import ValidationFailed
from app.tasks import queries
from app.tasks.queries import Person
from app.tasks.quick_add import parse, quick_add
from tests.tasks.conftest import make_project, membership

TODAY = date(2026, 5, 13)  # a Wednesday
DANA = Person(uuid.uuid4(), "Dana", "Cohen", "dana@studio.test")
DANA_HE = Person(uuid.uuid4(), "דנה", "לוי", "dana.levi@studio.test")
DANA_K = Person(uuid.uuid4(), "דנה", "כהן", "dk@studio.test")
YOSSI = Person(uuid.uuid4(), "יוסי", "מזרחי", "yossi@studio.test")
PEOPLE = [DANA, DANA_HE, DANA_K, YOSSI]


def p(line, me=None):
    return parse(line, TODAY, PEOPLE, me)


@pytest.mark.parametrize(
    "line, title, due",
    [
        ("Call supplier today", "Call supplier", TODAY),
        ("Call supplier tomorrow", "Call supplier", date(2026, 5, 14)),
        ("Order tiles the day after tomorrow", "Order tiles", date(2026, 5, 15)),
        ("Send plan by Friday", "Send plan", date(2026, 5, 15)),
        ("Site visit on monday", "Site visit", date(2026, 5, 18)),
        ("Weekly review wednesday", "Weekly review", date(2026, 5, 20)),  # today → next week
        ("Send invoice in 3 days", "Send invoice", date(2026, 5, 16)),
        ("Follow up in a week", "Follow up", date(2026, 5, 20)),
        ("Check delivery in 2 weeks", "Check delivery", date(2026, 5, 27)),
        ("Plan next week", "Plan", date(2026, 5, 17)),  # the coming Sunday
        ("Meeting 20/5", "Meeting", date(2026, 5, 20)),
        ("Meeting 1/5", "Meeting", date(2027, 5, 1)),  # already past this year
        ("Handover 31/12/2026", "Handover", date(2026, 12, 31)),
        ("Handover 31.12.26", "Handover", date(2026, 12, 31)),
        ("להתקשר לספק היום", "להתקשר לספק", TODAY),
        ("להתקשר לספק מחר", "להתקשר לספק", date(2026, 5, 14)),
        ("לסיים עד מחר", "לסיים", date(2026, 5, 14)),
        ("לשלוח הצעה מחרתיים", "לשלוח הצעה", date(2026, 5, 15)),
        ("מדידות באתר ביום חמישי", "מדידות באתר", date(2026, 5, 14)),
        ("פגישה יום ראשון", "פגישה", date(2026, 5, 17)),
        ("פגישה ביום רביעי", "פגישה", date(2026, 5, 20)),
        ("ביקור בשבת", "ביקור", date(2026, 5, 16)),
        ("הזמנה בעוד 3 ימים", "הזמנה", date(2026, 5, 16)),
        ("הזמנה בעוד יומיים", "הזמנה", date(2026, 5, 15)),
        ("מעקב בעוד שבועיים", "מעקב", date(2026, 5, 27)),
        ("מעקב תוך 2 שבועות", "מעקב", date(2026, 5, 27)),
        ("תכנון שבוע הבא", "תכנון", date(2026, 5, 17)),
        ("תכנון בשבוע הבא", "תכנון", date(2026, 5, 17)),
        ("מסירה ב-1/6", "מסירה", date(2026, 6, 1)),
        ("מסירה ב1/6/2027", "מסירה", date(2027, 6, 1)),
    ],
)
def test_due_dates(line, title, due):
    parsed = p(line)
    assert (parsed.title, parsed.due_date) == (title, due)
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "line",
    [
        "להכין סדר היום לישיבה",  # "סדר היום" is an agenda, not today
        "Buy 3.5 meters of fabric",  # a number, not the 3rd of May
        "ארוחת שבת עם הלקוח",  # Sabbath dinner, not "on Saturday"
        "Order sun loungers",
        "Tomorrowland poster",
    ],
)
def test_words_that_are_not_dates(line):
    parsed = p(line)
    assert parsed.due_date is None and parsed.title == line


def test_a_date_that_does_not_exist_stays_in_the_title():
    parsed = p("Meeting 31/02")
    assert parsed.due_date is None and parsed.title == "Meeting 31/02"
    assert "31/02" in parsed.warnings[0]


def test_only_the_first_date_is_used():
    parsed = p("tomorrow check the 20/5 delivery")
    assert parsed.due_date == date(2026, 5, 14) and parsed.title == "check the 20/5 delivery"


@pytest.mark.parametrize(
    "line, priority, title",
    [
        ("Call now !high", "high", "Call now"),
        ("!urgent fix leak", "urgent", "fix leak"),
        ("Order !LOW", "low", "Order"),
        ("Order !medium", "medium", "Order"),
        ("להזמין !נמוכה", "low", "להזמין"),
        ("להזמין !בינונית", "medium", "להזמין"),
        ("להזמין !גבוהה", "high", "להזמין"),
        ("להזמין !דחוף", "urgent", "להזמין"),
        ("להזמין !דחופה", "urgent", "להזמין"),
        ("Wow! great", None, "Wow! great"),
    ],
)
def test_priorities(line, priority, title):
    parsed = p(line)
    assert (parsed.priority, parsed.title) == (priority, title)


def test_unknown_priority_stays_with_a_warning():
    parsed = p("Order !asap")
    assert parsed.priority is None and parsed.title == "Order !asap"
    assert "!asap" in parsed.warnings[0]


@pytest.mark.parametrize(
    "line, person",
    [
        ("Call supplier @dana", DANA),
        ("Call supplier @Dana", DANA),
        ("Call supplier @cohen", DANA),  # a last name ("כהן" is another person's)
        ("לבדוק @יוסי", YOSSI),
        ("לבדוק @מזרחי", YOSSI),
        ("לבדוק @yossi", YOSSI),  # the e-mail's first part
        ("לבדוק @דנה_לוי", DANA_HE),
        ("לבדוק @dana.levi", DANA_HE),  # e-mail prefix
    ],
)
def test_assignees(line, person):
    parsed = p(line)
    assert parsed.assignee_id == person.user_id
    assert "@" not in parsed.title


def test_ambiguous_or_unknown_assignee_stays_in_the_title():
    parsed = p("לבדוק מידות @דנה")
    assert parsed.assignee_id is None and parsed.title == "לבדוק מידות @דנה"
    assert "דנה לוי" in parsed.warnings[0] and "דנה כהן" in parsed.warnings[0]
    parsed = p("Call @nobody")
    assert parsed.assignee_id is None and parsed.title == "Call @nobody"
    assert "@nobody" in parsed.warnings[0]
    parsed = p("Call @yossi and @dana")
    assert parsed.assignee_id == YOSSI.user_id and parsed.title == "Call and @dana"
    assert parsed.warnings
    # An e-mail address is not a mention.
    assert p("Mail dana@studio.test").assignee_id is None


def test_me():
    assert p("Call @me", me=YOSSI.user_id).assignee_id == YOSSI.user_id
    assert p("להתקשר @אני", me=YOSSI.user_id).assignee_id == YOSSI.user_id


def test_everything_together_in_any_order():
    parsed = p("Call supplier tomorrow @dana !high")
    assert (parsed.title, parsed.due_date, parsed.assignee_id, parsed.priority) == (
        "Call supplier",
        date(2026, 5, 14),
        DANA.user_id,
        "high",
    )
    parsed = p("!דחוף @יוסי להתקשר לספק מחר")
    assert (parsed.title, parsed.due_date, parsed.assignee_id, parsed.priority) == (
        "להתקשר לספק",
        date(2026, 5, 14),
        YOSSI.user_id,
        "urgent",
    )
    assert p("  tomorrow  ").title == ""


# ---- the service --------------------------------------------------------------------------------


def test_quick_add_creates_the_task_in_the_studio_timezone(owner, studio, monkeypatch):
    manager = membership(studio, "manager")
    # 23:30 in UTC on 13/5 is already 14/5 in Jerusalem: "today" is the studio's date.
    late = datetime(2026, 5, 13, 23, 30, tzinfo=ZoneInfo("UTC"))

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return late.astimezone(tz) if tz else late

    monkeypatch.setattr(queries.common, "datetime", Clock)
    task, warnings = quick_add(owner, "להזמין ספה היום @manager !גבוהה")
    assert task.title == "להזמין ספה" and task.due_date == date(2026, 5, 14)
    assert task.assigned_user_id == manager.user_id and task.priority == "high"
    assert warnings == []


def test_quick_add_in_a_project_only_assigns_its_team(owner, studio):
    project = make_project(owner)
    task, warnings = quick_add(owner, "מדידות @member", project=project)
    assert task.project_id == project.id and task.assigned_user_id is None
    assert task.title == "מדידות @member" and warnings
    with pytest.raises(ValidationFailed) as error:
        quick_add(owner, "מחר !דחוף")
    assert "line" in error.value.errors
