"""The spec's default configuration, created for every new tenant."""

from app.configuration.models import ConfigurableEntity
from app.extensions import db

# (key, Hebrew name, English name, colour, extra)
# Also inserted for existing studios by migration 0006: keep the two in step.
LEAD_SOURCES = [
    ("referral", "המלצה", "Referral", "#22C55E", {}),
    ("instagram", "אינסטגרם", "Instagram", "#EC4899", {}),
    ("facebook", "פייסבוק", "Facebook", "#3B82F6", {}),
    ("google", "גוגל", "Google", "#F59E0B", {}),
    ("website", "אתר הסטודיו", "Studio website", "#0EA5E9", {}),
    ("exhibition", "תערוכה", "Exhibition", "#8B5CF6", {}),
    ("other", "אחר", "Other", "#6B7280", {}),
]

DEFAULTS: dict[str, list[tuple]] = {
    "project_type": [
        ("apartment", "דירה", "Apartment", "#3399FF", {}),
        ("villa", "וילה", "Villa", "#8B5CF6", {}),
        ("office", "משרד", "Office", "#0EA5E9", {}),
        ("shop", "חנות", "Shop", "#F59E0B", {}),
    ],
    "project_status": [
        ("active", "פעיל", "Active", "#22C55E", {"transitions": ["on_hold", "closed"]}),
        ("on_hold", "מושהה", "On hold", "#F59E0B", {"transitions": ["active", "closed"]}),
        ("closed", "סגור", "Closed", "#6B7280", {"final": True, "transitions": ["active"]}),
    ],
    "project_phase": [
        ("consultation", "ייעוץ ראשוני", "Initial Consultation", "#E8E8E8", {}),
        ("concept", "קונספט", "Concept Design", "#B8D4E8", {}),
        ("detailed_design", "תכנון מפורט", "Detailed Design", "#7FB8D8", {}),
        ("procurement", "רכש", "Procurement", "#4A9CC8", {}),
        ("installation", "התקנה וביצוע", "Installation", "#2080B8", {}),
        ("handover", "מסירה", "Handover", "#28A745", {"final": True}),
    ],
    "task_status": [
        ("todo", "לעשות", "To do", "#9CA3AF", {"transitions": ["in_progress", "done"]}),
        (
            "in_progress",
            "בעבודה",
            "In progress",
            "#3B82F6",
            {"transitions": ["todo", "review", "done"]},
        ),
        ("review", "בבדיקה", "In review", "#F59E0B", {"transitions": ["in_progress", "done"]}),
        ("done", "הושלם", "Done", "#22C55E", {"final": True, "transitions": ["in_progress"]}),
    ],
    "product_category": [
        ("furniture", "ריהוט", "Furniture", "#A16207", {}),
        ("lighting", "תאורה", "Lighting", "#EAB308", {}),
        ("textile", "טקסטיל", "Textile", "#DB2777", {}),
        ("accessories", "אקססוריז", "Accessories", "#7C3AED", {}),
        ("sanitary", "כלים סניטריים", "Sanitary ware", "#0891B2", {}),
        ("flooring", "ריצוף וחיפוי", "Flooring & cladding", "#78716C", {}),
    ],
    "room_type": [
        ("living_room", "סלון", "Living room", "#3399FF", {}),
        ("kitchen", "מטבח", "Kitchen", "#F59E0B", {}),
        ("bedroom", "חדר שינה", "Bedroom", "#8B5CF6", {}),
        ("bathroom", "חדר רחצה", "Bathroom", "#0EA5E9", {}),
        ("kids_room", "חדר ילדים", "Kids' room", "#EC4899", {}),
        ("study", "חדר עבודה", "Study", "#10B981", {}),
        ("balcony", "מרפסת", "Balcony", "#84CC16", {}),
    ],
    "supplier_category": [
        ("furniture", "ריהוט", "Furniture", "#A16207", {}),
        ("hardware", "פרזול", "Hardware", "#6B7280", {}),
        ("fabrics", "בדים", "Fabrics", "#DB2777", {}),
        ("lighting", "תאורה", "Lighting", "#EAB308", {}),
        ("tiles", "ריצוף וקרמיקה", "Tiles & ceramics", "#78716C", {}),
    ],
    "trade": [
        ("electrician", "חשמלאי", "Electrician", "#EAB308", {}),
        ("plumber", "אינסטלטור", "Plumber", "#0EA5E9", {}),
        ("carpenter", "נגר", "Carpenter", "#A16207", {}),
        ("painter", "צבעי", "Painter", "#8B5CF6", {}),
        ("contractor", "קבלן שיפוצים", "Renovation contractor", "#6B7280", {}),
        ("tiler", "רצף", "Tiler", "#78716C", {}),
    ],
    "document_category": [
        ("plans", "תוכניות", "Plans", "#3399FF", {}),
        ("contracts", "חוזים", "Contracts", "#22C55E", {}),
        ("proposals", "הצעות מחיר", "Proposals", "#F59E0B", {}),
        ("permits", "היתרים", "Permits", "#EF4444", {}),
        ("photos", "תמונות", "Photos", "#8B5CF6", {}),
    ],
    "expense_category": [
        ("travel", "נסיעות", "Travel", "#0EA5E9", {}),
        ("materials", "חומרים", "Materials", "#A16207", {}),
        ("services", "שירותים", "Services", "#8B5CF6", {}),
        ("printing", "הדפסות", "Printing", "#6B7280", {}),
    ],
    "lead_source": LEAD_SOURCES,
}


def create_default_configuration(tenant_id) -> int:
    """Insert the default lists for one tenant; returns how many entries were made."""
    count = 0
    for entity_type, entries in DEFAULTS.items():
        for order, (key, name, name_en, color, extra) in enumerate(entries, start=1):
            db.session.add(
                ConfigurableEntity(
                    tenant_id=tenant_id,
                    entity_type=entity_type,
                    key=key,
                    name=name,
                    name_en=name_en,
                    color=color,
                    order=order,
                    is_default=order == 1,
                    is_system=True,
                    is_final=bool(extra.get("final")),
                    allowed_transitions=list(extra.get("transitions", [])),
                )
            )
            count += 1
    return count
