"""The built-in task templates (digest C §3.7): three checklists, item by item as the spec
gives them. A template task: {"title", "description", "checklist": [text], "priority",
"estimated_hours", "offset_days", "order"}.
"""


def _items(titles: list[str]) -> list[dict]:
    return [
        {"title": title, "priority": "medium", "order": order, "checklist": []}
        for order, title in enumerate(titles, start=1)
    ]


SITE_VISIT = {
    "name": "צ'קליסט ביקור אתר",
    "category": "ביקור אתר",
    "description": "מה לבדוק ולתעד בכל ביקור באתר.",
    "tasks": _items(
        [
            "צילום מצב קיים",
            "מדידות",
            "בדיקת תשתיות חשמל",
            "בדיקת תשתיות אינסטלציה",
            "תיעוד בעיות",
            "שיחה עם קבלן/דייר",
        ]
    ),
}

HANDOVER = {
    "name": "צ'קליסט מסירת פרויקט",
    "category": "מסירה",
    "description": "סגירת הפרויקט מול הלקוח: ליקויים, אחריות, תיעוד והמלצה.",
    "tasks": _items(
        [
            "סיור סיום עם לקוח",
            "רשימת ליקויים",
            "איסוף חשבוניות אחריות",
            "העברת מדריכי שימוש",
            "צילום סופי",
            "עדכון פורטפוליו",
            "בקשת המלצה",
        ]
    ),
}

PURCHASE_ORDER = {
    "name": "צ'קליסט הזמנת רכש",
    "category": "רכש",
    "description": "מאישור המחיר ועד שהמוצר בדרך.",
    "tasks": _items(
        [
            "אישור מחיר מספק",
            "אישור לקוח",
            "שליחת הזמנה",
            "קבלת אישור הזמנה",
            "מעקב זמן אספקה",
        ]
    ),
}

BUILT_IN_TASK_TEMPLATES = (SITE_VISIT, HANDOVER, PURCHASE_ORDER)
