"""The project hub's summary cards and expandable panels, registered by each domain module.

    register_panel(Panel(
        key="tasks", title=_l("משימות"), icon="tasks", order=10,
        summary=lambda project, membership: {"value": 12, "hint": _("3 באיחור")},
        endpoint="tasks.project_panel",     # GET <endpoint>(project_id=...) → the panel fragment
        visible=lambda membership: True,
    ))

The hub renders the cards (one `summary` call each, so keep it to one or two queries) and,
for every key in `?open=a,b`, includes its panel by fetching the endpoint's fragment. Later
modules (payments, documents, proposals...) register their own panels: the hub template never
changes.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    key: str
    title: object  # lazy Hebrew string
    icon: str
    order: int
    summary: (
        Callable  # (project, membership) -> {"value": str|int, "hint": str|None, "items": [...]}
    )
    endpoint: str  # Flask endpoint of the panel fragment; takes project_id
    visible: Callable = field(default=lambda membership: True)


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels_for(membership) -> list[Panel]:
    return sorted((p for p in _panels.values() if p.visible(membership)), key=lambda p: p.order)


def panel(key: str) -> Panel | None:
    return _panels.get(key)


def open_keys(raw: str | None, membership) -> list[str]:
    """The panels named in `?open=` that exist and this member may see, in card order."""
    wanted = {k for k in (raw or "").split(",") if k}
    return [p.key for p in panels_for(membership) if p.key in wanted]
