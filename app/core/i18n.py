"""Locale, direction and theme for each request."""

from flask import current_app, has_request_context, request
from flask_login import current_user

RTL_LOCALES = {"he", "ar"}
THEME_COOKIE = "theme"
LOCALE_COOKIE = "locale"


def select_locale() -> str:
    supported = current_app.config["SUPPORTED_LOCALES"]
    if not has_request_context():  # jobs and CLI commands: the product's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in supported:
        return current_user.language
    cookie = request.cookies.get(LOCALE_COOKIE)
    return cookie if cookie in supported else current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction(locale: str) -> str:
    return "rtl" if locale in RTL_LOCALES else "ltr"


def select_theme() -> str:
    if current_user and current_user.is_authenticated:
        return current_user.theme
    cookie = request.cookies.get(THEME_COOKIE)
    return cookie if cookie in {"light", "dark", "system"} else "system"
