"""The built-in project templates (digest C §3.7): the standard apartment as the spec gives it,
and a villa and an office (the spec names them without contents; these are our defaults).

A template task: {"id", "title", "phase", "offset_days", "duration_days", "assign_to_role",
"depends_on": [ids], "checklist": [text], "priority"}. Dates are counted from the project's
start date; `depends_on` names tasks of the same template.
"""

APARTMENT_PAYMENTS = [
    {"name": "מקדמה", "type": "retainer", "percentage": 30, "trigger": "בחתימה על ההסכם"},
    {"name": "אישור קונספט", "type": "milestone", "percentage": 30, "trigger": "אישור הקונספט"},
    {"name": "לפני הזמנות", "type": "milestone", "percentage": 20, "trigger": "לפני הזמנות הרכש"},
    {"name": "מסירה", "type": "final", "percentage": 20, "trigger": "במסירה"},
]


def _chain(tasks: list[tuple]) -> list[dict]:
    """(title, phase, offset, duration, role, priority, checklist) → template tasks, each
    depending on the one before it."""
    result = []
    for index, (title, phase, offset, duration, role, priority, checklist) in enumerate(tasks, 1):
        result.append(
            {
                "id": f"t{index}",
                "title": title,
                "phase": phase,
                "offset_days": offset,
                "duration_days": duration,
                "assign_to_role": role,
                "depends_on": [f"t{index - 1}"] if index > 1 else [],
                "checklist": list(checklist),
                "priority": priority,
            }
        )
    return result


APARTMENT = {
    "name": "עיצוב דירה - סטנדרטי",
    "category": "דירה",
    "type_key": "apartment",
    "description": "תבנית העבודה המלאה לדירה: מהפגישה הראשונה ועד ביקורת הסיום.",
    "defaults": {"billing_type": "fixed", "revisions_included": 2},
    "rooms": [
        {"name": "סלון", "type_key": "living_room", "order": 1},
        {"name": "מטבח", "type_key": "kitchen", "order": 2},
        {"name": "חדר שינה הורים", "type_key": "bedroom", "order": 3},
        {"name": "חדר רחצה הורים", "type_key": "bathroom", "order": 4},
        {"name": "חדר ילדים 1", "type_key": "kids_room", "order": 5},
        {"name": "חדר רחצה ילדים", "type_key": "bathroom", "order": 6},
    ],
    "tasks": _chain(
        [
            ("פגישת היכרות", "consultation", 0, 0, "owner", "high", ()),
            (
                "סקר צרכים",
                "consultation",
                3,
                2,
                "owner",
                "medium",
                ("הרכב המשפחה", "סגנון מועדף", "תקציב", "לוחות זמנים"),
            ),
            (
                "מדידות באתר",
                "concept",
                7,
                1,
                "member",
                "high",
                ("צילום מצב קיים", "מדידות", "נקודות חשמל ומים"),
            ),
            ("הכנת לוח השראה", "concept", 10, 3, "member", "medium", ()),
            ("הצגת קונספט", "concept", 14, 0, "owner", "high", ()),
            ("תכנון מפורט - סלון", "detailed_design", 21, 5, "member", "medium", ()),
            ("תכנון מפורט - מטבח", "detailed_design", 28, 5, "member", "medium", ()),
            ("בחירת ריהוט", "procurement", 35, 5, "member", "medium", ()),
            (
                "הזמנות רכש",
                "procurement",
                42,
                3,
                "manager",
                "high",
                ("אישור מחיר מספק", "אישור לקוח", "שליחת הזמנה"),
            ),
            ("פיקוח התקנה", "installation", 60, 10, "manager", "medium", ()),
            (
                "ביקורת סיום",
                "handover",
                75,
                1,
                "owner",
                "high",
                ("סיור סיום עם לקוח", "רשימת ליקויים"),
            ),
        ]
    ),
    "payment_structure": APARTMENT_PAYMENTS,
}

VILLA = {
    "name": "עיצוב וילה",
    "category": "וילה",
    "type_key": "villa",
    "description": "פרויקט גדול: יותר חדרים, תכנון חוץ ולוחות זמנים ארוכים יותר.",
    "defaults": {"billing_type": "percentage", "revisions_included": 3},
    "rooms": [
        {"name": name, "type_key": type_key, "order": order}
        for order, (name, type_key) in enumerate(
            [
                ("סלון", "living_room"),
                ("מטבח", "kitchen"),
                ("חדר שינה הורים", "bedroom"),
                ("חדר רחצה הורים", "bathroom"),
                ("חדר ילדים 1", "kids_room"),
                ("חדר ילדים 2", "kids_room"),
                ("חדר עבודה", "study"),
                ("מרפסת וגינה", "balcony"),
            ],
            start=1,
        )
    ],
    "tasks": _chain(
        [
            ("פגישת היכרות", "consultation", 0, 0, "owner", "high", ()),
            ("סקר צרכים", "consultation", 5, 3, "owner", "medium", ()),
            (
                "מדידות וסקר אתר",
                "concept",
                10,
                2,
                "member",
                "high",
                ("צילום מצב קיים", "מדידות", "בדיקת תשתיות"),
            ),
            ("הצגת קונספט", "concept", 21, 0, "owner", "high", ()),
            ("תכנון מפורט", "detailed_design", 35, 20, "member", "medium", ()),
            ("הזמנות רכש", "procurement", 70, 10, "manager", "high", ()),
            ("פיקוח ביצוע", "installation", 100, 30, "manager", "medium", ()),
            ("ביקורת סיום", "handover", 140, 2, "owner", "high", ()),
        ]
    ),
    "payment_structure": APARTMENT_PAYMENTS,
}

OFFICE = {
    "name": "עיצוב משרד",
    "category": "מסחרי",
    "type_key": "office",
    "description": "משרד או חלל מסחרי: תכנון עמדות, חדרי ישיבות ומיתוג.",
    "defaults": {"billing_type": "fixed", "revisions_included": 2},
    "rooms": [
        {"name": name, "type_key": None, "order": order}
        for order, name in enumerate(
            ["קבלה", "חלל עבודה פתוח", "חדר ישיבות", "משרד מנהל", "מטבחון", "שירותים"], start=1
        )
    ],
    "tasks": _chain(
        [
            ("פגישת היכרות עם ההנהלה", "consultation", 0, 0, "owner", "high", ()),
            ("פרוגרמה: מספר עמדות וחדרים", "consultation", 4, 3, "owner", "medium", ()),
            ("מדידות באתר", "concept", 7, 1, "member", "high", ()),
            ("הצגת קונספט ומיתוג", "concept", 14, 0, "owner", "high", ()),
            ("תכנון מפורט", "detailed_design", 21, 10, "member", "medium", ()),
            ("הזמנות רכש", "procurement", 35, 5, "manager", "high", ()),
            ("פיקוח התקנה", "installation", 50, 10, "manager", "medium", ()),
            ("מסירה", "handover", 65, 1, "owner", "high", ()),
        ]
    ),
    "payment_structure": APARTMENT_PAYMENTS,
}

BUILT_IN_PROJECT_TEMPLATES = (APARTMENT, VILLA, OFFICE)
