"""A studio's primary colour as the design system's colour tokens (readable in light and dark).

`brand_style(hex)` is the `style` of <html> for a studio with its own colour.
"""

import re
from functools import lru_cache

COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")

# --- branding: the primary colour and the design system's derived tokens ------------------


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgb)


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g_, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g_ + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(rgb, other, t: float):
    return tuple(c + (o - c) * t for c, o in zip(rgb, other, strict=True))


def _toward(rgb, target, against, ratio: float):
    """Mix `rgb` toward `target` (black or white) until it has `ratio` contrast with `against`."""
    for step in range(0, 101, 2):
        candidate = _mix(rgb, target, step / 100)
        if contrast(candidate, against) >= ratio:
            return candidate, step / 100
    return target, 1.0


WHITE, BLACK, INK = (255, 255, 255), (0, 0, 0), (28, 25, 23)
DARK_SURFACE = (28, 26, 25)


@lru_cache(maxsize=256)
def brand_palette(hex_color: str) -> dict[str, str]:
    """The design system's primary tokens (static/css/app.css) derived from one brand colour.

    Buttons keep white text when the colour can be darkened a little to reach 4.5:1; a light
    colour keeps its own shade and gets dark text. Theme-dependent tokens use light-dark().
    """
    rgb = _rgb(hex_color)
    solid, amount = _toward(rgb, BLACK, WHITE, 4.5)
    if amount <= 0.35:
        on = WHITE
        # darker on hover; a near-black colour gets lighter instead (still far above 4.5:1)
        hover = _mix(solid, WHITE if _luminance(solid) < 0.02 else BLACK, 0.15)
    else:
        solid, on = rgb, INK
        hover = _mix(rgb, BLACK, 0.1)
    text_light, _a = _toward(rgb, BLACK, WHITE, 4.5)
    text_dark, _b = _toward(rgb, WHITE, DARK_SURFACE, 4.5)
    subtle = _mix(rgb, WHITE, 0.9)
    subtle_hover = _mix(rgb, WHITE, 0.82)
    subtle_text, _c = _toward(rgb, BLACK, subtle, 4.5)
    focus_light, _d = _toward(rgb, BLACK, WHITE, 3)
    r, g_, b = rgb

    def light_dark(light, dark) -> str:
        return f"light-dark({light}, {dark})"

    return {
        "--c-primary": _hex(rgb),
        "--c-primary-solid": _hex(solid),
        "--c-primary-solid-hover": _hex(hover),
        "--c-on-primary": _hex(on),
        "--c-primary-text": light_dark(_hex(text_light), _hex(text_dark)),
        "--c-primary-subtle": light_dark(_hex(subtle), f"rgb({r} {g_} {b} / 0.14)"),
        "--c-primary-subtle-hover": light_dark(_hex(subtle_hover), f"rgb({r} {g_} {b} / 0.22)"),
        "--c-primary-subtle-text": light_dark(_hex(subtle_text), _hex(text_dark)),
        "--c-focus": light_dark(_hex(focus_light), _hex(text_dark)),
        "--c-focus-ring": f"rgb({r} {g_} {b} / 0.35)",
    }


def brand_style(hex_color: str | None) -> str:
    """The `style` of <html> for a studio's primary colour ('' for the default palette)."""
    if not hex_color or not COLOR_PATTERN.fullmatch(hex_color):
        return ""
    return "; ".join(f"{name}: {value}" for name, value in brand_palette(hex_color.lower()).items())
