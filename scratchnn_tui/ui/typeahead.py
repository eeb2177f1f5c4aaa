"""Typeahead: keys that arrive together (a paste, one `tmux send-keys`, a fast typist: one read
of the terminal) each do what they would do typed one at a time.

Two things in Textual 8.2.8 lose such keys, and one class answers each:

- `TypeaheadInput`: Textual's `Input` types a printable key in its own key handler, but leaves
  every other key (backspace, ctrl+u, enter, the arrows) to bubble up to the App, which runs the
  binding from there (`App._on_key` → `_check_bindings`), after the field has already typed the
  keys behind it: `backspace 5 6` on `4` gives `45`. This field runs the binding as it takes the
  key, so every key of a burst applies in the order it was typed.
- `Typeahead`, the App's part: the App hands each key it reads to whatever has the focus *at that
  moment* (`App.on_event`), and a key that opens a field does so only once the screen has dealt
  with it, by which time the keys behind it have gone to the screen and bubble up to the App's
  bindings (`.` speeds the run up) or nowhere (a digit); `Widget.focus` also moves the focus only
  later, through the App's queue (`call_later`). The field takes the focus at once
  (`TypeaheadInput.take_focus`) and the App gives it, in order, every key that reaches the App
  while it is expected or has the focus: keys typed after the key that opens a field are that
  field's, as typeahead is in a shell.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input


class TypeaheadInput(Input):
    """An `Input` that applies every key in the order typed, and takes the keys typed for it
    before it had the focus (see the module's docstring)."""

    class TypedAhead(Message, bubble=False):
        """A key typed for this field before it had the focus, handed on by the App."""

        def __init__(self, key: str, character: str | None) -> None:
            super().__init__()
            self.key = key
            self.character = character

    def take_focus(self) -> None:
        """Take the focus now, not once the App's queue reaches it (as `focus()` does), and
        the keys typed for this field so far."""
        self.screen.set_focus(self)
        if isinstance(self.app, Typeahead):
            self.app.field_focused(self)

    async def on_key(self, event: events.Key) -> None:
        if self.disabled:  # a closed field: the key is the app's, as if the field were not there
            event.prevent_default()  # not typed here; it still bubbles up to the app's bindings
        elif not event.is_printable and await self._run_binding(event.key):
            event.stop()
            event.prevent_default()
        # A printable key: Input's own handler types it, now.

    async def on_typeahead_input_typed_ahead(self, message: TypedAhead) -> None:
        if self.disabled:  # closed by a key typed before this one (enter, escape)
            return
        key = events.Key(message.key, message.character)
        if key.is_printable:
            self._type(message.character)
        else:
            await self._run_binding(message.key)

    def _type(self, text: str) -> None:
        """Type `text` as Input types a printable key: over the selection, or at the cursor."""
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)

    async def _run_binding(self, key: str) -> bool:
        """Run what `key` is bound to from this field up (its own editing keys first, then the
        dialog's and the app's), as the App would once the key had bubbled up to it."""
        active = self.screen.active_bindings.get(key)
        if active is None or not active.enabled:
            return False
        await self.app.run_action(active.binding.action, active.node)
        return True


class Typeahead:
    """The App's part of typeahead: a mixin before `App` in the App's bases. A key that opens a
    dialog calls `expect_typing` first; a `TypeaheadInput` that takes the focus ends the wait."""

    _typeahead_on = False  # keys that reach the App go to the focused field
    _waiting: list[tuple[str, str | None]] | None = None  # keys typed before the field had focus

    def expect_typing(self) -> None:
        """A field is on its way (a dialog being built): the keys that follow wait for it."""
        self._typeahead_on = True
        self._waiting = []

    def field_focused(self, field: TypeaheadInput) -> None:
        """`field` has the focus: the keys typed for it so far, in order, then every key that
        reaches the App while it keeps the focus. Each is queued behind the field's focus event
        (a field that selects its text on focus selects it before they are typed)."""
        waiting, self._waiting = self._waiting or [], None
        self._typeahead_on = True
        for key, character in waiting:
            field.post_message(TypeaheadInput.TypedAhead(key, character))

    async def on_key(self, event: events.Key) -> None:
        """Runs before `App`'s own key handler (the bindings): a key that reaches the App went to
        the screen, or through a field that has no use for it."""
        if not self._typeahead_on:
            return
        field = self.focused
        if isinstance(field, TypeaheadInput):
            field.post_message(TypeaheadInput.TypedAhead(event.key, event.character))
        elif field is None and self._waiting is not None:
            self._waiting.append((event.key, event.character))
        else:  # the field has closed, or the focus went elsewhere: keys are the app's again
            self._typeahead_on, self._waiting = False, None
            return
        event.stop()
        event.prevent_default()  # not App's bindings: the key is the field's
