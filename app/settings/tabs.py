"""The settings area's tabs: each settings page registers itself here."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import request, url_for


@dataclass(frozen=True)
class SettingsTab:
    label: object
    endpoint: str
    icon: str
    order: int
    visible: Callable[[object], bool]  # (membership or None) -> bool
    endpoints: tuple[str, ...]  # endpoints that mark this tab current


_tabs: list[SettingsTab] = []


def register_settings_tab(label, endpoint, icon, order, visible, endpoints=()) -> None:
    _tabs.append(SettingsTab(label, endpoint, icon, order, visible, (endpoint, *endpoints)))
    _tabs.sort(key=lambda t: t.order)


def settings_tabs(membership) -> list[dict]:
    return [
        {
            "label": str(t.label),
            "url": url_for(t.endpoint),
            "icon": t.icon,
            "current": request.endpoint in t.endpoints,
        }
        for t in _tabs
        if t.visible(membership)
    ]
