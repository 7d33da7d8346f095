"""Light and dark themes: the Qt palette on the Fusion style, the views' colours, the menu.

`apply_theme` switches the whole application live: widgets through the QPalette and the one
style sheet filled for the theme (widget roles), the canvas through `style.current()`, the
plots and the button icons through ui/look/theme_restyle.py. `choose_theme` also remembers the
choice in the settings, and `restore_theme` brings it back at the next start.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QPalette
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QStyleFactory, QToolTip

from laegna_gui.ui.look import style
from laegna_gui.ui.document.paths import settings
from laegna_gui.ui.look.style import DARK, THEMES, Theme
from laegna_gui.ui.look.theme_restyle import collector_paused, get_stylesheet, restyle_all

SETTINGS_KEY = "appearance/theme"
DEFAULT_THEME = "light"
Role, Group = QPalette.ColorRole, QPalette.ColorGroup

# Qt palette role → the Theme field that colours it
PALETTE_SLOTS = {
    Role.Window: "window", Role.WindowText: "text", Role.Base: "base", Role.AlternateBase: "alternate_base",
    Role.ToolTipBase: "tooltip_base", Role.ToolTipText: "text", Role.PlaceholderText: "placeholder",
    Role.Text: "text", Role.Button: "button", Role.ButtonText: "text", Role.Highlight: "highlight",
    Role.HighlightedText: "highlighted_text", Role.Link: "link",
}
DISABLED_TEXT_ROLES = (Role.WindowText, Role.Text, Role.ButtonText)


def palette_roles(theme: Theme) -> dict[QPalette.ColorRole, QColor]:
    """The active colour of each palette role the theme sets (the rest are Fusion's)."""
    roles = {role: getattr(theme, slot) for role, slot in PALETTE_SLOTS.items()}
    roles.update({getattr(Role, name): colour for name, colour in theme.bevels.items()})
    return roles


DARK_ROLES = palette_roles(DARK)


class ThemeSignals(QObject):
    """Announces switches, for views that draw something the restyle walk cannot reach."""

    theme_changed = Signal(str)


_signals: list[ThemeSignals] = []


def signals() -> ThemeSignals:
    if not _signals:
        _signals.append(ThemeSignals(QApplication.instance()))
    return _signals[0]


def qt_palette(theme: Theme) -> QPalette:
    """Fusion's palette with the theme's colours: every role in every group, then what
    disabled widgets use instead."""
    palette = QStyleFactory.create("Fusion").standardPalette()
    for role, colour in palette_roles(theme).items():
        palette.setColor(role, colour)
    for role in DISABLED_TEXT_ROLES:
        palette.setColor(Group.Disabled, role, theme.disabled_text)
    for name, colour in theme.disabled.items():
        palette.setColor(Group.Disabled, getattr(Role, name), colour)
    return palette


def theme_named(name: object) -> Theme:
    """The theme called `name`; anything else (a corrupt setting, say) is the default."""
    return THEMES.get(name if isinstance(name, str) else "", THEMES[DEFAULT_THEME])


def apply_theme(name: str) -> Theme:
    """Switch the whole application to the theme `name` now (not remembered)."""
    theme = theme_named(name)
    app = QApplication.instance()
    style.set_current(theme)
    # Qt sends the new style and palette to every widget from a list of raw pointers, as the
    # restyle walk does: no garbage collection may free one of them in between
    with collector_paused():
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        palette = qt_palette(theme)
        app.setPalette(palette)
        QToolTip.setPalette(palette)
        app.setStyleSheet(get_stylesheet(theme))
        restyle_all(theme)
    signals().theme_changed.emit(theme.name)
    return theme


def saved_theme() -> Theme:
    return theme_named(settings().value(SETTINGS_KEY, DEFAULT_THEME))


def choose_theme(name: str) -> Theme:
    """Switch to `name` and remember it for the next start."""
    theme = apply_theme(name)
    settings().setValue(SETTINGS_KEY, theme.name)
    return theme


def restore_theme() -> Theme:
    """Apply the theme chosen last time (light on the first start)."""
    theme = saved_theme()
    app = QApplication.instance()
    if theme is style.current() and app.style().name().lower() == "fusion" \
            and app.palette() == qt_palette(theme) and app.styleSheet() == get_stylesheet(theme):
        return theme  # the views were built in this theme, on an app in it: nothing to switch (a faster start)
    return apply_theme(theme.name)


class ThemeMenu(QMenu):
    """View ▸ Theme ▸ Light / Dark: checkable, exclusive, applied live and remembered."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__("&Theme", window)
        self.setObjectName("menuTheme")
        group = QActionGroup(self, exclusive=True)
        self.theme_actions: dict[str, QAction] = {}
        for theme in THEMES.values():
            action = QAction(f"&{theme.title}", self, checkable=True, objectName=f"action_theme_{theme.name}")
            tip = f"Use the {theme.title.lower()} look; Laegna remembers it"
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(lambda _=False, n=theme.name: choose_theme(n))
            group.addAction(action)
            self.addAction(action)
            self.theme_actions[theme.name] = action
        self._show_checked(style.current().name)
        signals().theme_changed.connect(self._show_checked)  # a method: Qt disconnects it with the menu

    def _show_checked(self, name: str) -> None:
        if name in self.theme_actions:
            self.theme_actions[name].setChecked(True)


def install_theme_menu(window: QMainWindow) -> ThemeMenu:
    """Add View ▸ Theme to the window's View menu (made by ui/actions.py)."""
    theme_menu = ThemeMenu(window)
    view = window.findChild(QMenu, "menuView")
    view.addSeparator()
    view.addMenu(theme_menu)
    return theme_menu
