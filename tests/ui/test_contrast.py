"""Every text in the window reads on its background, in both themes (issue 16).

The window opens as a user first sees it (xor, 1400×860), takes a theme from View ▸ Theme
and is grabbed, page by page (each tab of every tab widget, each tabbed dock). Every visible
text is then measured on those pixels: labels, buttons, check boxes, combo boxes, tabs, group
and dock titles, the menu bar, the status bar, and the tick labels and title of every plot
axis. A text's background is the most common colour of its box, its ink the pixel that
differs most from that; WCAG AA asks 4.5:1 of the pair. Check box frames and button icons
need 3:1 against what surrounds them (WCAG 1.4.11). Disabled controls are exempt (WCAG does
not count them), and so is a text the window shows only in part (scrolled out of view).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
import pytest
from image_helpers import pixels
from PySide6.QtCore import QEvent, QRect, QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton, QApplication, QCheckBox, QComboBox, QDockWidget, QGroupBox, QLabel, QMenuBar,
    QMessageBox, QPushButton, QRadioButton, QSpinBox, QStyle, QStyleOptionButton, QStyleOptionComboBox,
    QStyleOptionDockWidget, QStyleOptionGroupBox, QTabBar, QTabWidget, QToolButton, QVBoxLayout, QWidget,
)

from laegna_gui.core.presets import load_preset
from laegna_gui.ui.look import style
from laegna_gui.ui.look.style import DARK, LIGHT
from laegna_gui.ui.look.theme import apply_theme
from laegna_gui.ui.training.views.live_text import LiveText

AA = 4.5
AA_GRAPHICS = 3.0  # WCAG 1.4.11: a control's frame or icon against what is next to it
AXIS_GAP = 4  # px of an axis next to its plot: the axis line, not text


@dataclass
class Reading:
    what: str
    ratio: float
    ink: tuple[int, ...]
    background: tuple[int, ...]
    needed: float = AA

    def __str__(self) -> str:
        return (f"{self.what}: {self.ratio:.2f}:1, needs {self.needed}:1 "
                f"(ink {_hex(self.ink)} on {_hex(self.background)})")


def _hex(rgb) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in rgb)


# --- measuring pixels ------------------------------------------------------------------
def _luminance(rgb: np.ndarray) -> np.ndarray:
    c = rgb.astype(float) / 255.0
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def _crop(image: np.ndarray, box: QRect) -> np.ndarray:
    return image[max(box.top(), 0):box.bottom() + 1, max(box.left(), 0):box.right() + 1].reshape(-1, 3)


def measure(image: np.ndarray, box: QRect, what: str, around: QRect | None = None,
            needed: float = AA) -> Reading | None:
    """The contrast of what is drawn in `box` (window pixels) with its background: the most
    common colour of `around` (by default of the box itself)."""
    crop, ground_crop = _crop(image, box), _crop(image, around or box)
    if len(crop) < 4 or len(ground_crop) < 4:
        return None
    colours, counts = np.unique(ground_crop, axis=0, return_counts=True)
    background = colours[counts.argmax()]
    lum, ground = _luminance(crop), float(_luminance(background[None, :])[0])
    ratios = (np.maximum(lum, ground) + 0.05) / (np.minimum(lum, ground) + 0.05)
    ink = int(ratios.argmax())
    return Reading(what, float(ratios[ink]), tuple(crop[ink]), tuple(background), needed)


def test_the_measure_finds_the_ink_of_a_label(qtbot):
    """The measure itself, on labels of known colours: black on white is 21:1, the old green
    status text on the dark window 2.7:1."""
    for ink, ground, want in (("#000000", "#ffffff", 21.0), ("#2b7a3d", "#262a31", 2.71)):
        label = QLabel("Network valid — 17 trainable parameters")
        label.setStyleSheet(f"color: {ink}; background: {ground}; font-size: 13px;")
        qtbot.addWidget(label)
        label.show()
        qtbot.waitExposed(label)
        reading = measure(pixels(label.grab().toImage()), label.rect(), "label")
        assert reading.ratio == pytest.approx(want, abs=0.05)


# --- where the texts are -----------------------------------------------------------------
def _text_rects(widget: QWidget) -> list[QRect | tuple[str, QRect]]:
    """Boxes (widget coordinates) that hold the widget's text and little else; a widget with
    several texts (tabs, menus) names each."""
    if isinstance(widget, (QLabel, LiveText)):
        has_text = widget.text().strip() and (not isinstance(widget, QLabel) or widget.pixmap().isNull())
        return [widget.contentsRect()] if has_text else []
    if isinstance(widget, (QCheckBox, QRadioButton)) and widget.text():
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        element = QStyle.SubElement.SE_CheckBoxContents if isinstance(widget, QCheckBox) \
            else QStyle.SubElement.SE_RadioButtonContents
        return [widget.style().subElementRect(element, option, widget)]
    if isinstance(widget, QPushButton) and widget.text():
        return [_push_button_text(widget)]
    if isinstance(widget, QToolButton) and widget.text() and widget.icon().isNull():
        return [widget.rect().adjusted(3, 3, -3, -3)]
    if isinstance(widget, QComboBox) and not widget.isEditable() and widget.currentText():
        option = QStyleOptionComboBox()
        widget.initStyleOption(option)
        return [widget.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                              QStyle.SubControl.SC_ComboBoxEditField, widget)]
    if isinstance(widget, QTabBar):
        return [(widget.tabText(i), widget.tabRect(i).adjusted(5, 4, -5, -3)) for i in range(widget.count())
                if widget.tabText(i) and widget.isTabEnabled(i)]
    if isinstance(widget, QGroupBox) and widget.title():
        option = QStyleOptionGroupBox()
        widget.initStyleOption(option)
        return [widget.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                              QStyle.SubControl.SC_GroupBoxLabel, widget)]
    if isinstance(widget, QDockWidget) and widget.titleBarWidget() is None and not widget.isFloating():
        option = QStyleOptionDockWidget()
        widget.initStyleOption(option)
        return [widget.style().subElementRect(QStyle.SubElement.SE_DockWidgetTitleBarText, option, widget)]
    if isinstance(widget, QMenuBar):
        return [(a.text(), widget.actionGeometry(a).adjusted(4, 2, -4, -2)) for a in widget.actions() if a.text()]
    return []


def _push_button_text(button: QPushButton) -> QRect:
    """Where the label of a push button is drawn: centred, right of its icon."""
    option = QStyleOptionButton()
    button.initStyleOption(option)
    contents = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    width = button.fontMetrics().horizontalAdvance(button.text().replace("&", ""))
    icon = 0 if button.icon().isNull() else button.iconSize().width() + 4
    right = contents.center().x() + (icon + width) // 2 + 1
    return QRect(right - width - 1, contents.top() + 2, width + 2, contents.height() - 4)


def _describe(widget: QWidget) -> str:
    text = next((getattr(widget, name)() for name in ("text", "title", "windowTitle", "currentText")
                 if hasattr(widget, name) and isinstance(getattr(widget, name)(), str)), "")
    return f"{type(widget).__name__} {widget.objectName()!r} {text[:40]!r}"


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisible() and widget.isEnabled() and widget.window() is window


def _in_window(widget: QWidget, box: QRect, window: QWidget) -> QRect | None:
    """`box` in window coordinates, if the widget shows all of it."""
    if box.isEmpty() or not widget.visibleRegion().boundingRect().contains(box):
        return None
    return QRect(widget.mapTo(window, box.topLeft()), box.size())


@dataclass
class Probe:
    what: str
    box: QRect                  # window pixels
    around: QRect | None = None  # where its background is, if not in the box
    needed: float = AA


def widget_texts(window: QWidget) -> list[Probe]:
    found = []
    for widget in window.findChildren(QWidget):
        if _shown(widget, window):
            for box in _text_rects(widget):
                what, box = (_describe(widget), box) if isinstance(box, QRect) else \
                    (f"{type(widget).__name__} {widget.objectName()!r} {box[0]!r}", box[1])
                where = _in_window(widget, box, window)
                if where is not None:
                    found.append(Probe(what, where))
    return found


def widget_graphics(window: QWidget) -> list[Probe]:
    """Check box and radio button frames against the panel around them; button icons
    against their button."""
    found = []
    for widget in window.findChildren(QAbstractButton):
        if not _shown(widget, window):
            continue
        box = _graphic_rect(widget)
        where, around = _in_window(widget, box, window), _in_window(widget, widget.rect(), window)
        if where is not None and around is not None:
            around = around if isinstance(widget, (QCheckBox, QRadioButton)) else \
                _in_window(widget, _push_button_text(widget), window)
            found.append(Probe(f"{_describe(widget)} (its box or icon)", where, around, AA_GRAPHICS))
    return found


def _graphic_rect(button: QAbstractButton) -> QRect:
    if isinstance(button, (QCheckBox, QRadioButton)):
        option = QStyleOptionButton()
        button.initStyleOption(option)
        element = QStyle.SubElement.SE_CheckBoxIndicator if isinstance(button, QCheckBox) \
            else QStyle.SubElement.SE_RadioButtonIndicator
        return button.style().subElementRect(element, option, button)
    if isinstance(button, QPushButton) and not button.icon().isNull():
        text, size = _push_button_text(button), button.iconSize()
        return QRect(text.left() - 3 - size.width(), text.center().y() - size.height() // 2,
                     size.width(), size.height())
    return QRect()


def axis_texts(window: QWidget) -> list[Probe]:
    """The tick labels and the title of every visible left and bottom plot axis."""
    found = []
    for view in window.findChildren(pg.GraphicsView):
        if not _shown(view, window):
            continue
        for axis in view.scene().items():
            if not (isinstance(axis, pg.AxisItem) and axis.isVisible() and axis.orientation in ("left", "bottom")):
                continue
            name = f"{view.objectName() or type(view).__name__} {axis.orientation} axis"
            for what, rect in _axis_parts(axis, name):
                box = view.mapFromScene(rect).boundingRect().intersected(view.viewport().rect())
                where = _in_window(view.viewport(), box, window)
                if where is not None:
                    found.append(Probe(what, where))
    return found


def _axis_parts(axis: pg.AxisItem, name: str) -> list[tuple[str, QRectF]]:
    """The axis's tick labels, and its title if it shows one, in scene coordinates."""
    ticks, label = QRectF(axis.sceneBoundingRect()), None
    if axis.label.isVisible() and axis.labelText:
        label = axis.label.sceneBoundingRect().intersected(ticks)
    if axis.orientation == "left":
        ticks.setRight(ticks.right() - AXIS_GAP)
        if label is not None:
            ticks.setLeft(label.right() + 1)
    else:
        ticks.setTop(ticks.top() + AXIS_GAP)
        if label is not None:
            ticks.setBottom(label.top() - 1)
    parts = [(f"{name} ticks", ticks)]
    return parts + ([(f"{name} title {axis.labelText!r}", label)] if label is not None else [])


# --- the window, page by page --------------------------------------------------------------
def _pages(window: QWidget):
    """Show each page a user can bring up with one click: every tab, every tabbed dock."""
    yield "start"
    for tabs in window.findChildren(QTabWidget):
        if tabs.isVisible():
            first = tabs.currentIndex()
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                yield f"{tabs.objectName()} ▸ {tabs.tabText(i)}"
            tabs.setCurrentIndex(first)
    inspector = window.findChild(QDockWidget, "dockInspector")
    if inspector is not None:
        inspector.raise_()
        yield "Inspector"


def readings(window: QWidget) -> dict[str, Reading]:
    """The contrast of every text, box and icon, on every page (the lowest where one shows on several)."""
    seen: dict[str, Reading] = {}
    for page in _pages(window):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()
        image = pixels(window.grab().toImage())
        for probe in widget_texts(window) + axis_texts(window) + widget_graphics(window):
            reading = measure(image, probe.box, f"[{page}] {probe.what}", probe.around, probe.needed)
            if reading is not None and (probe.what not in seen or reading.ratio < seen[probe.what].ratio):
                seen[probe.what] = reading
    return seen


@pytest.fixture
def open_window(qtbot):
    from laegna_gui.ui.main_window import MainWindow

    def open_in(theme: str):
        window = MainWindow(load_preset("xor"), remember_layout=False)
        window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        qtbot.addWidget(window)
        window.resize(1400, 860)
        window.show()
        qtbot.waitExposed(window)
        # as a user switches: the other look first, so a colour left over from it shows
        for name in ("dark" if theme == "light" else "light", theme):
            window.theme_menu.theme_actions[name].trigger()
        qtbot.waitUntil(lambda: window.training.controller.latest is not None)
        window.findChild(QSpinBox, "seedSpin").setValue(1)  # new data: views set their labels again
        return window

    yield open_in
    apply_theme("light")  # the theme belongs to the whole application


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_text_box_and_icon_in_the_window_reads_on_its_background(open_window, qtbot, theme):
    window = open_window(theme)
    assert style.current() is (DARK if theme == "dark" else LIGHT)
    found = readings(window)
    axes, boxes = (sum(word in what for what in found) for word in (" axis ", "(its box or icon)"))
    assert len(found) > 80 and axes >= 8 and boxes >= 4, \
        f"only {len(found)} things, {axes} axes and {boxes} boxes or icons found: is the window laid out?"
    poor = sorted((r for r in found.values() if r.ratio < r.needed), key=lambda r: r.ratio)
    assert not poor, f"{len(poor)} unreadable in the {theme} theme:\n" + "\n".join(map(str, poor))


def test_theme_text_colours_have_aa_contrast_on_every_background_they_are_drawn_on():
    """The table behind the pixels: each text colour of a theme on each of its surfaces."""
    for theme in (LIGHT, DARK):
        grounds = {name: getattr(theme, name) for name in ("window", "base", "alternate_base", "canvas_background")}
        for ink in ("text", "muted_text", "error_text", "ok_text", "link", "placeholder"):
            for ground, colour in grounds.items():
                ratio = style.contrast_ratio(getattr(theme, ink), colour)
                assert ratio >= AA, f"{theme.name}: {ink} on {ground} is {ratio:.2f}:1"
        pairs = (("highlighted_text", "highlight"), ("alert_text", "alert_background"),
                 ("banner_text", "banner_diverged"), ("banner_text", "banner_error"), ("text", "button"),
                 ("text", "tooltip_base"))
        for ink, ground in pairs:
            ratio = style.contrast_ratio(getattr(theme, ink), getattr(theme, ground))
            assert ratio >= AA, f"{theme.name}: {ink} on {ground} is {ratio:.2f}:1"


def test_the_contrast_ratio_is_wcags():
    black, white = pg.mkColor("#000000"), pg.mkColor("#ffffff")
    assert style.contrast_ratio(black, white) == pytest.approx(21.0)
    assert style.contrast_ratio(white, white) == pytest.approx(1.0)
    assert style.contrast_ratio(pg.mkColor("#767676"), white) == pytest.approx(4.54, abs=0.01)


# --- the training buttons draw icons, not font glyphs ----------------------------------------
def _icon_ink(button: QPushButton) -> tuple[int, QColor]:
    """How many pixels the button's icon covers, and the colour of its most opaque one."""
    image = button.icon().pixmap(button.iconSize()).toImage()
    alpha = [(image.pixelColor(x, y).alpha(), x, y) for x in range(image.width()) for y in range(image.height())]
    covered = sum(a > 128 for a, _, _ in alpha)
    _, x, y = max(alpha)
    return covered, image.pixelColor(x, y)


def test_play_pause_step_and_reset_are_drawn_icons_in_the_theme_colour(open_window, qtbot):
    """"⏸" is an empty box in common Linux fonts: the buttons carry icons, their labels plain words."""
    window = open_window("dark")
    names = ("playButton", "stepButton", "stepEpochButton", "resetButton")
    buttons = [window.findChild(QPushButton, name) for name in names]
    for button in buttons:
        assert button.text().isascii(), f"{button.objectName()} shows {button.text()!r}: a font may lack it"
        covered, ink = _icon_ink(button)
        assert covered > 20 and style.contrast_ratio(ink, DARK.button) >= AA_GRAPHICS and ink.rgb() == DARK.text.rgb()
    play = buttons[0]
    playing_icon = play.icon().pixmap(play.iconSize()).toImage()
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: play.text() == "Pause")
    assert play.icon().pixmap(play.iconSize()).toImage() != playing_icon  # two bars, not the triangle
    assert _icon_ink(play)[0] > 20
    window.theme_menu.theme_actions["light"].trigger()  # the icons follow the theme
    assert all(_icon_ink(button)[1].rgb() == LIGHT.text.rgb() for button in buttons)
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: play.text() == "Play")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_checked_radio_button_reads_on_a_tab_page(qtbot, theme):
    """The CSV import's task choice is a pair of radio buttons: checked, its mark was the
    highlight blue on the panel, 2.1:1 in the dark theme (3:1 is needed)."""
    apply_theme(theme)
    try:
        tabs, page = QTabWidget(), QWidget()
        qtbot.addWidget(tabs)
        column = QVBoxLayout(page)
        chosen, other = QRadioButton("Classification"), QRadioButton("Regression")
        chosen.setChecked(True)
        column.addWidget(chosen)
        column.addWidget(other)
        tabs.addTab(page, "Task")
        tabs.resize(300, 160)
        tabs.show()
        qtbot.waitExposed(tabs)
        found = readings(tabs)
        assert len([what for what in found if "(its box or icon)" in what]) == 2
        poor = [r for r in found.values() if r.ratio < r.needed]
        assert not poor, poor
    finally:
        apply_theme("light")
