"""The three looks of the desk, chosen per station (`checkpoint config set theme ...`, Ctrl+T).

- default: Textual's dark theme, as the program has always looked.
- sunlight: black on white with dark, saturated colours and full-strength text, for a laptop in
  direct sunlight, where a dark screen shows only the reflection of the sky.
- night: a dim, warm dark theme for night shifts, so the screen does not dazzle the officer who
  then has to read a plate in the dark.

Meaning never rests on colour alone: fevers carry ⚠, refused passes ✘ and a word, amended entries ✎,
so a washed-out screen or a colour-blind officer loses nothing.
"""

from __future__ import annotations

from textual.theme import Theme

# station setting -> Textual theme name
THEME_NAMES = {"default": "textual-dark", "sunlight": "checkpoint-sunlight", "night": "checkpoint-night"}

SUNLIGHT = Theme(
    name="checkpoint-sunlight",
    primary="#003C8F",
    secondary="#002B66",
    accent="#8A3B00",
    warning="#9A5B00",
    error="#B00020",
    success="#006B2D",
    foreground="#000000",
    background="#FFFFFF",
    surface="#F2F2F2",
    panel="#D6DCE6",
    dark=False,
    text_alpha=1.0,
    luminosity_spread=0.1,
    variables={
        "footer-key-foreground": "#003C8F",
        "footer-description-foreground": "#000000",
        "input-cursor-background": "#000000",
        "input-cursor-foreground": "#FFFFFF",
        "input-selection-background": "#003C8F 35%",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-background": "#003C8F",
        "text-muted": "#333333",
        "border": "#000000",
    },
)

NIGHT = Theme(
    name="checkpoint-night",
    primary="#6B4A24",
    secondary="#4A3420",
    accent="#C8893A",
    warning="#C8893A",
    error="#D0463C",
    success="#5E9A4E",
    foreground="#B9AE9C",
    background="#000000",
    surface="#0C0A08",
    panel="#1E1812",
    dark=True,
    text_alpha=0.9,
    luminosity_spread=0.1,
    variables={"footer-key-foreground": "#C8893A", "block-cursor-background": "#6B4A24"},
)


def register(app) -> None:
    """Make the station themes available to `app` (a textual App)."""
    for theme in (SUNLIGHT, NIGHT):
        app.register_theme(theme)


def next_theme(current: str) -> str:
    """The setting after `current` in the cycle default → sunlight → night → default."""
    names = list(THEME_NAMES)
    return names[(names.index(current) + 1) % len(names)] if current in names else names[0]


_FALLBACK = {"error": "red", "warning": "yellow", "success": "green", "accent": "yellow", "primary": "blue"}


def ink(app, kind: str) -> str:
    """The current theme's colour for `kind` (error, warning, success, accent, primary), for text
    drawn with Rich styles: a fixed "yellow" is unreadable on the sunlight theme's white."""
    theme = getattr(app, "current_theme", None)
    return getattr(theme, kind, None) or _FALLBACK[kind]
