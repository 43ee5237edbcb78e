"""The sidebar: each module registers its item; only built modules appear."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import request, url_for


@dataclass(frozen=True)
class NavEntry:
    label: object  # a lazy translated string
    endpoint: str
    icon: str
    order: int
    visible: Callable[[object], bool]
    prefix: str


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active: bool


_registry: dict[str, NavEntry] = {}


def in_studio(membership, user) -> bool:
    return membership is not None


def register_nav(label, endpoint, icon, order, prefix, visible=in_studio):
    """`visible(membership, user)` decides per request; by default: anyone in a studio."""
    _registry[endpoint] = NavEntry(label, endpoint, icon, order, visible, prefix)


def nav_items(membership, user) -> list[NavItem]:
    if user is None or not user.is_authenticated:
        return []
    return [
        NavItem(str(e.label), url_for(e.endpoint), e.icon, request.path.startswith(e.prefix))
        for e in sorted(_registry.values(), key=lambda e: e.order)
        if e.visible(membership, user)
    ]
