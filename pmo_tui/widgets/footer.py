"""The footer of every screen: Textual's, redrawn only when the keys it shows change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[str, str, str, bool, str], ...]


class KeyFooter(Footer):
    """Textual's Footer rebuilds all its keys whenever anything asks the screen to refresh
    its bindings, which the meeting does after every edit. Rebuilding ~20 keys restyles
    each one (about 40 ms a time on the 2-core machine), so this one skips the rebuild when
    the keys, their labels and which are enabled are what it already shows."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = self._keys(screen)
        if shown == self._shown and self._bindings_ready:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            # Remembered only when it will be drawn: Textual skips the redraw while the
            # terminal is unfocused, and the next change must not be skipped as "shown".
            self._shown = shown
        super().bindings_changed(screen)

    @staticmethod
    def _keys(screen: Screen[object]) -> Shown:
        return tuple(
            (
                binding.key,
                binding.description,
                binding.key_display or "",
                enabled,
                tooltip or binding.tooltip,
            )
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )
