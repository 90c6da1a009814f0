"""
The small, fixed set of icons editors can put next to items.

Each icon is a hand-drawn inline SVG in `pages/templates/icons/<name>.svg`: no icon font, no
request to another host, and it takes the colour of the text around it (`currentColor`).
"""

ICON_CHOICES = [
    ("check", "Check mark"),
    ("bolt", "Lightning bolt"),
    ("shield", "Shield"),
    ("puzzle", "Puzzle piece"),
    ("book", "Book"),
    ("scale", "Scales"),
    ("clock", "Clock"),
    ("warning", "Warning"),
]
ICON_NAMES = frozenset(name for name, _label in ICON_CHOICES)


def icon_template(name: str | None) -> str:
    """The template of icon `name`, or '' for no icon (or a name no longer offered)."""
    return f"icons/{name}.svg" if name in ICON_NAMES else ""
