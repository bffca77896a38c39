"""Which key runs which binding now: the bindings' own keys with the user's remaps applied.

The help screen and the command palette both read this, so after ``CLAIMDESK_KEYS`` (or a remap
while running) they show the keys that really work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from textual.binding import Binding, BindingType


def bindings_of(owners: Iterable[type]) -> list[Binding]:
    """The ``Binding`` objects declared by these classes (and their bases), in order."""
    found: list[Binding] = []
    seen: set[str] = set()
    for owner in owners:
        for klass in reversed(owner.__mro__):
            declared: Sequence[BindingType] = klass.__dict__.get("BINDINGS", [])
            for binding in declared:
                if isinstance(binding, Binding):
                    key = binding.id or f"{klass.__name__}:{binding.action}"
                    if key not in seen:
                        seen.add(key)
                        found.append(binding)
    return found


def current(binding: Binding, keymap: Mapping[str, str]) -> Binding:
    """``binding`` with the key the keymap gives its id (unchanged when not remapped)."""
    if binding.id and binding.id in keymap:
        return replace(binding, key=keymap[binding.id])
    return binding


def key_for(binding_id: str, bindings: Iterable[Binding], keymap: Mapping[str, str]) -> str | None:
    """The key (or keys, comma-separated) that runs ``binding_id`` now; None if unknown."""
    if binding_id in keymap:
        return keymap[binding_id]
    return next((b.key for b in bindings if b.id == binding_id), None)
