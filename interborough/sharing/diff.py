"""What changed between two versions of an agreement, field by field.

Mappings are compared key by key. Lists of objects are matched by their natural key (parties by
organisation, datasets by key, fields by name, statutory gateways by code), so reordering is not
a change and a renamed party shows as one removed and one added. Lists of plain values are
compared as sets, keeping the order they appear in. Paths name list items by their natural key
("data.datasets[placements].fields[surname].transformation"); labels read as plain English,
the section, the item and the field's title joined by SEPARATOR, as breadcrumbs are.

`version` and `supersedes` differ between every pair of versions by construction, so they are
ignored. Pure Python (no Django).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from interborough.sharing.document import FIELD_TITLES, SECTIONS

Kind = Literal["added", "removed", "changed"]

IGNORED = frozenset({"version", "supersedes"})
SEPARATOR = " \u203a "  # a right-pointing angle quotation mark, as breadcrumbs write a path

# List path (schema form) -> (the key that names an item, how an item reads in a label).
NATURAL_KEYS: dict[str, tuple[str, str]] = {
    "parties": ("organisation", "{}"),
    "legal_basis.statutory_gateways": ("code", "gateway {}"),
    "data.datasets": ("key", "{}"),
    "data.datasets[].fields": ("name", "field {}"),
}

_SECTION_TITLES = {
    key: section.title for section in SECTIONS for key in section.keys if len(section.keys) == 1
}


@dataclass(frozen=True)
class Change:
    """One difference: where, a plain-English label, the values either side, and its kind."""

    path: str
    label: str
    before: Any
    after: Any
    kind: Kind


@dataclass(frozen=True)
class _Where:
    """A position in both documents: the path shown, the schema path, the label parts."""

    path: str
    schema: str
    label: tuple[str, ...]

    def key(self, key: str) -> "_Where":
        schema = f"{self.schema}.{key}" if self.schema else key
        if not self.schema and key in _SECTION_TITLES:
            title = _SECTION_TITLES[key]
        else:
            title = FIELD_TITLES.get(schema, key)
        return _Where(f"{self.path}.{key}" if self.path else key, schema, (*self.label, title))

    def item(self, name: str, label: str) -> "_Where":
        # A nested list's own title is dropped ("Data", "placements", not "Data", "Datasets",
        # "placements"); a top-level list's title is its section's.
        parts = self.label[:-1] if len(self.label) > 1 else self.label
        return _Where(f"{self.path}[{name}]", f"{self.schema}[]", (*parts, label))

    def index(self, index: int) -> "_Where":
        return _Where(
            f"{self.path}.{index}", f"{self.schema}[]", (*self.label, f"item {index + 1}")
        )

    def change(self, before: Any, after: Any, kind: Kind) -> Change:
        return Change(self.path, SEPARATOR.join(self.label), before, after, kind)


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | type(None))


def _diff(old: Any, new: Any, where: _Where) -> Iterator[Change]:
    if isinstance(old, dict) and isinstance(new, dict):
        yield from _diff_dicts(old, new, where)
    elif isinstance(old, list) and isinstance(new, list):
        yield from _diff_lists(old, new, where)
    elif old != new or type(old) is not type(new):
        yield where.change(old, new, "changed")


def _diff_dicts(old: dict[str, Any], new: dict[str, Any], where: _Where) -> Iterator[Change]:
    keys = list(old) + [key for key in new if key not in old]
    for key in keys:
        if not where.path and key in IGNORED:
            continue
        inner = where.key(key)
        if key not in new:
            yield inner.change(old[key], None, "removed")
        elif key not in old:
            yield inner.change(None, new[key], "added")
        else:
            yield from _diff(old[key], new[key], inner)


def _by_natural_key(items: list[Any], key: str) -> dict[str, Any] | None:
    """Items by their natural key, or None when any item lacks a unique text key."""
    keyed: dict[str, Any] = {}
    for item in items:
        name = item.get(key) if isinstance(item, dict) else None
        if not isinstance(name, str) or not name or name in keyed:
            return None
        keyed[name] = item
    return keyed


def _diff_lists(old: list[Any], new: list[Any], where: _Where) -> Iterator[Change]:
    natural = NATURAL_KEYS.get(where.schema)
    if natural:
        key, label = natural
        old_keyed, new_keyed = _by_natural_key(old, key), _by_natural_key(new, key)
        if old_keyed is not None and new_keyed is not None:
            for name, item in old_keyed.items():
                inner = where.item(name, label.format(name))
                if name in new_keyed:
                    yield from _diff(item, new_keyed[name], inner)
                else:
                    yield inner.change(item, None, "removed")
            for name, item in new_keyed.items():
                if name not in old_keyed:
                    yield where.item(name, label.format(name)).change(None, item, "added")
            return
    if all(_hashable(item) for item in old + new):
        # Plain values as sets: a reordered list is not a change. Compare with their types so
        # that 1, 1.0 and True stay distinct, as JSON keeps them.
        old_set = {(type(item), item): item for item in old}
        new_set = {(type(item), item): item for item in new}
        for typed, item in old_set.items():
            if typed not in new_set:
                yield where.change(item, None, "removed")
        for typed, item in new_set.items():
            if typed not in old_set:
                yield where.change(None, item, "added")
        return
    # Anything else (objects without a natural key, mixed lists): position by position.
    for index in range(max(len(old), len(new))):
        inner = where.index(index)
        if index >= len(new):
            yield inner.change(old[index], None, "removed")
        elif index >= len(old):
            yield inner.change(None, new[index], "added")
        else:
            yield from _diff(old[index], new[index], inner)


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every field that differs between two agreement documents, in document order."""
    return list(_diff(old, new, _Where("", "", ())))
