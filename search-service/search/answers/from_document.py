"""Which fields of the stored document each answer field is made from, declared once, on the answer
model itself (`Annotated[type, made_from(...)]` or `copied()`).

Everything else follows from that one declaration: the `_source` a body asks the engine for
(`source_fields`: nothing an answer needs is left behind, nothing it does not need is fetched), and the
fields result shaping passes on exactly as stored (`copied_fields`: a donor's blood group, a rating —
left out of the JSON when the document has none). An offline test (tests/unit/search/
test_field_contract.py) holds these declarations against the event schemas, the index mappings and
ingest's documents, so a field added in one place and forgotten in another fails before it ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

#: `when_absent` of a copied field that is left unset (out of the JSON) when the document lacks it.
LEAVE_OUT: Any = object()


@dataclass(frozen=True)
class FromDocument:
    """An answer field made from these document fields (none: from the request or the engine alone);
    `copied`: the document's field of the same name, passed on as it is stored."""

    fields: tuple[str, ...] = ()
    copied: bool = False
    when_absent: Any = LEAVE_OUT


def made_from(*fields: str) -> FromDocument:
    return FromDocument(fields)


def copied(*, when_absent: Any = LEAVE_OUT) -> FromDocument:
    """Passed on as stored; a document without it leaves the field out, or gives `when_absent` (an older
    document written before the field existed)."""
    return FromDocument(copied=True, when_absent=when_absent)


def declaration(field: FieldInfo) -> FromDocument | None:
    return next((m for m in field.metadata if isinstance(m, FromDocument)), None)


@cache
def _declared(model: type[BaseModel]) -> dict[str, FromDocument]:
    """Read once per model: the declarations are fixed when the class is made (shaping asks per hit)."""
    found = {name: declaration(field) for name, field in model.model_fields.items()}
    return {name: marker for name, marker in found.items() if marker is not None}


def document_fields(model: type[BaseModel]) -> dict[str, tuple[str, ...]]:
    """Each declared answer field, and the document fields it is made from."""
    return {name: (name,) if m.copied else m.fields for name, m in _declared(model).items()}


def source_fields(*models: type[BaseModel]) -> list[str]:
    """The document fields the answers of `models` are made from: a body's `_source`."""
    fields = (f for model in models for made in document_fields(model).values() for f in made)
    return list(dict.fromkeys(fields))


def copied_fields(model: type[BaseModel], source: dict[str, Any]) -> dict[str, Any]:
    """The values the answer passes on as stored, by field name; absent ones left out or defaulted."""
    out: dict[str, Any] = {}
    for name, when_absent in _copied(model):
        if name in source:
            out[name] = source[name]
        elif when_absent is not LEAVE_OUT:
            out[name] = when_absent
    return out


@cache
def _copied(model: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    return tuple((name, m.when_absent) for name, m in _declared(model).items() if m.copied)
