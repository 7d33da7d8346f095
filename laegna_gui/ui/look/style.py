"""Colours and sizes shared by every view (DESIGN.md: orange negative, blue positive).

Data colours (orange/blue, the class colours, the neutral middle of the diverging scale in
ui/look/colour_scale.py) are the same in every theme, so a picture means the same thing in light
and dark. The colours of the surroundings (background, grid, text, node cards, wires, the
widgets' palette) belong to a `Theme`; `current()` is the one in use. `style.TEXT`,
`style.MUTED_TEXT`, `style.CANVAS_BACKGROUND`, `style.GRID` and `style.GROUP_COLORS` read the
current theme, so a view that looks them up when it draws follows a theme switch (ui/look/theme.py).

Widgets never write a colour into a style sheet: they take a role (`set_role(label, "muted")`)
that the application's one style sheet (resources/themes/laegna.qss) colours for the theme.
Every text colour of a theme is readable (WCAG AA, 4.5:1) on every background it is used on;
tests/ui/test_contrast.py checks it on the real window.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

NEGATIVE = QColor("#f59322")   # orange
POSITIVE = QColor("#0877bd")   # blue
NEUTRAL = QColor("#e8eaeb")
ERROR = QColor("#d62728")      # a data colour (a cross, an outline); text uses Theme.error_text
ACCENT = QColor("#2a6fdb")
DATA_INK = QColor("#1f2933")   # text printed on data colours (heatmap cells): dark in every theme

CLASS_COLORS = [NEGATIVE, POSITIVE, QColor("#2ca02c"), QColor("#9467bd"), QColor("#8c564b"),
                QColor("#e377c2"), QColor("#7f7f7f"), QColor("#bcbd22"), QColor("#17becf"),
                QColor("#d62728")]

# the roles a widget can take; the style sheet template has a rule for each
ROLES = ("muted", "error", "ok", "canvas", "canvas-muted", "alert", "banner-diverged", "banner-error")


def _colors(**hexes: str) -> dict[str, QColor]:
    return {name: QColor(value) for name, value in hexes.items()}


@dataclass(frozen=True)
class Theme:
    """The colours of everything around the data, for one look (light or dark). Every QColor
    field is a slot of the style sheet template (`{{ muted_text }}`)."""

    name: str
    title: str
    # the canvas and the plots
    canvas_background: QColor
    grid: QColor
    text: QColor
    muted_text: QColor           # secondary text and plot axes
    error_text: QColor
    ok_text: QColor
    wire: QColor
    wire_hover: QColor
    neuron_fill: QColor
    neuron_edge: QColor
    port_fill: QColor
    port_edge: QColor
    well_fill: QColor            # the panel behind a card's neurons
    # the widgets: the Qt palette and the style sheet
    window: QColor
    base: QColor                 # text fields, lists
    alternate_base: QColor
    button: QColor
    highlight: QColor
    highlighted_text: QColor
    link: QColor
    placeholder: QColor
    disabled_text: QColor
    tooltip_base: QColor
    indicator_edge: QColor       # the frame of a check box or radio button
    alert_background: QColor     # a bold warning strip (exploding gradients)
    alert_text: QColor
    banner_text: QColor
    banner_diverged: QColor      # the training banner's background when a run diverged
    banner_error: QColor
    group_colors: dict[str, QColor] = field(default_factory=dict)   # one card tint per palette group
    bevels: dict[str, QColor] = field(default_factory=dict)   # Qt palette shades (Light, Mid, …) if not Fusion's
    disabled: dict[str, QColor] = field(default_factory=dict)  # disabled widgets' Base, Button… if not Fusion's
    dark: bool = False

    def slots(self) -> dict[str, str]:
        """'#rrggbb' (or 'rgba(…)') of every colour field: what the style sheet template is filled with."""
        return {f.name: css(getattr(self, f.name)) for f in fields(self) if isinstance(getattr(self, f.name), QColor)}


def css(colour: QColor) -> str:
    """A colour as a style sheet writes it: "#rrggbb", or "rgba(r, g, b, a)" when see-through."""
    if colour.alpha() == 255:
        return colour.name()
    return f"rgba({colour.red()}, {colour.green()}, {colour.blue()}, {colour.alpha()})"


LIGHT = Theme(
    "light", "Light",
    canvas_background=QColor("#f7f8fa"), grid=QColor("#e3e6ea"), text=QColor("#1f2933"),
    muted_text=QColor("#56606b"), error_text=QColor("#b3261e"), ok_text=QColor("#1e6b32"),
    wire=QColor("#9aa5b1"), wire_hover=QColor("#6b7785"),
    neuron_fill=QColor("#dfe4ea"), neuron_edge=QColor("#7b8794"),
    port_fill=QColor("#ffffff"), port_edge=QColor("#7b8794"), well_fill=QColor(255, 255, 255, 190),
    window=QColor("#efefef"), base=QColor("#ffffff"), alternate_base=QColor("#f7f7f7"), button=QColor("#efefef"),
    highlight=QColor("#2b67c9"), highlighted_text=QColor("#ffffff"), link=QColor("#0b57d0"),
    placeholder=QColor("#56606b"), disabled_text=QColor("#9ba3ab"), tooltip_base=QColor("#ffffdc"),
    indicator_edge=QColor("#6b7785"), alert_background=QColor("#c62828"), alert_text=QColor("#ffffff"),
    banner_text=QColor("#1f2933"), banner_diverged=QColor("#fff4e5"), banner_error=QColor("#fdecea"),
    group_colors=_colors(Data="#dfe3e8", Layers="#d6e6f5", Activations="#ede3f6", Merge="#dcefe2"),
)

DARK = Theme(
    "dark", "Dark",
    canvas_background=QColor("#1c2026"), grid=QColor("#2a3038"), text=QColor("#e4e8ed"),
    muted_text=QColor("#a7b1bc"), error_text=QColor("#ff7b72"), ok_text=QColor("#6fcf8a"),
    wire=QColor("#5d6873"), wire_hover=QColor("#a9b4bf"),
    neuron_fill=QColor("#4a535e"), neuron_edge=QColor("#8a96a3"),
    port_fill=QColor("#2b3139"), port_edge=QColor("#8a96a3"), well_fill=QColor(10, 12, 16, 110),
    window=QColor("#262a31"), base=QColor("#1c2026"), alternate_base=QColor("#2a2f37"), button=QColor("#282c33"),
    highlight=QColor("#2b67c9"), highlighted_text=QColor("#ffffff"), link=QColor("#6ea8ff"),
    placeholder=QColor("#909ba7"), disabled_text=QColor("#6c7580"), tooltip_base=QColor("#323844"),
    indicator_edge=QColor("#8a96a3"), alert_background=QColor("#c62828"), alert_text=QColor("#ffffff"),
    banner_text=QColor("#e4e8ed"), banner_diverged=QColor("#4a3320"), banner_error=QColor("#4a2426"),
    group_colors=_colors(Data="#363d46", Layers="#24405a", Activations="#3f3354", Merge="#27463a"),
    bevels=_colors(Light="#434a55", Midlight="#383e48", Mid="#2b3038", Dark="#15181d", Shadow="#0b0d10",
                   BrightText="#ff7b72", LinkVisited="#b08cff"),
    disabled=_colors(Base="#22262c", Button="#2b3038", Highlight="#3a4350", HighlightedText="#9aa5b1"),
    dark=True,
)

THEMES: dict[str, Theme] = {theme.name: theme for theme in (LIGHT, DARK)}
_current: list[Theme] = [LIGHT]

# module attribute → Theme field: read through `current()` on every access (see __getattr__)
_THEMED = {"CANVAS_BACKGROUND": "canvas_background", "GRID": "grid", "TEXT": "text",
           "MUTED_TEXT": "muted_text", "GROUP_COLORS": "group_colors"}


def current() -> Theme:
    """The theme the views draw with now."""
    return _current[0]


def set_current(theme: Theme) -> None:
    """Only ui/look/theme.py calls this: it also restyles the application and repaints."""
    _current[0] = theme


def __getattr__(name: str):
    """`style.TEXT` and friends follow the current theme."""
    if name in _THEMED:
        return getattr(current(), _THEMED[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def class_color(index: int) -> QColor:
    return CLASS_COLORS[index % len(CLASS_COLORS)]


def set_role(widget: QWidget, role: str | None) -> None:
    """Colour `widget` by the style sheet's rule for `role` (None: no role, the palette's colours)."""
    if role is not None and role not in ROLES:
        raise ValueError(f"unknown style role {role!r}; the roles are {', '.join(ROLES)}")
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    # Qt matches [role="…"] when it polishes a widget: polish it again for the new role
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, 1 (none) to 21 (black on white); text needs 4.5 (AA)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_on(background: QColor) -> QColor:
    """White or DATA_INK, whichever reads better on `background` (a data colour, say)."""
    white = QColor("#ffffff")
    return white if contrast_ratio(white, background) >= contrast_ratio(DATA_INK, background) else DATA_INK
