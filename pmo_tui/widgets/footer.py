"""The footer of every screen: the keys of what has focus, drawn as one line of text.

Textual's Footer is a container of one widget per key. Changing the keys (every step
switch, taking or handing over the drive) unmounts and mounts ~20 widgets, and styling
each new one costs ~3 ms on the 2-core machine: 60 ms of a 120 ms step switch. Here the
keys are one widget's text; a change of keys is one repaint. It looks and acts like
Textual's: a click runs the key, a disabled key rings the bell, the hovered key is
highlighted and its tooltip shown, and the command palette's key sits on the right."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class FooterKey(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str


class KeyFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--disabled",
        "footer-key--hover",
        "footer-key--separator",
    }

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple[FooterKey, ...] = ()
        self._palette: FooterKey | None = None
        # Where each key was drawn, for the mouse: (first column, past the last, key).
        self._spans: list[tuple[int, int, FooterKey]] = []
        self._hover: FooterKey | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        keys, palette = self._read(screen)
        if (keys, palette) != (self._keys, self._palette):
            self._keys, self._palette = keys, palette
            self.refresh()

    @property
    def keys(self) -> tuple[FooterKey, ...]:
        """The keys shown, left to right (the palette's key apart)."""
        return self._keys

    def _read(self, screen: Screen[object]) -> tuple[tuple[FooterKey, ...], FooterKey | None]:
        app = self.app
        keys: list[FooterKey] = []
        actions: set[str] = set()
        palette: FooterKey | None = None
        for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items():
            shown = FooterKey(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                enabled,
                tooltip or binding.tooltip or binding.description,
            )
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = shown
            elif binding.show and binding.action not in actions:
                # Two keys for one action (enter and space) show once, as Textual's does.
                actions.add(binding.action)
                keys.append(shown)
        return tuple(keys), palette

    # -- drawing --------------------------------------------------------------------

    def render(self) -> Text:
        width = self.size.width
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        right = self._item(self._palette) if self._palette else Text()
        if self._palette is not None:
            right = Text.assemble(
                ("▏", self.get_component_rich_style("footer-key--separator")), right
            )
        room = max(0, width - right.cell_len)
        for key in self._keys:
            item = self._item(key)
            if line.cell_len + item.cell_len > room:
                break  # what does not fit is left out whole; ? lists every key
            self._spans.append((line.cell_len, line.cell_len + item.cell_len, key))
            line.append_text(item)
        if self._palette is not None:
            line.append(" " * (room - line.cell_len))
            self._spans.append((room + 1, width, self._palette))
            line.append_text(right)
        return line

    def _item(self, key: FooterKey) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        item = Text.assemble(
            (f" {key.display} ", key_style), (f"{key.description} ", description_style)
        )
        if not key.enabled:
            item.stylize(self.get_component_rich_style("footer-key--disabled"))
        if key == self._hover:
            item.stylize(self.get_component_rich_style("footer-key--hover"))
        return item

    # -- the mouse ------------------------------------------------------------------

    def _at(self, x: int) -> FooterKey | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._at(event.x)
        if key != self._hover:
            self._hover = key
            self.tooltip = key.tooltip if key else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
