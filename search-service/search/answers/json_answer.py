"""Answers written straight from the dicts shaping builds, in the very bytes their response model writes.

pydantic cost a products page more CPU than the rest of the service's work on it: ~125 model instances
built and validated per page, then ~165 µs to serialize them, where orjson writes the same 38 KB in
~25 µs. So the search endpoints (nearest providers, products, nearest storefronts, suggestions) shape
plain dicts — each key in its model's field order, each value of its field's type (a float field gets
a float, never an int), a field left out exactly when the model would leave it out (`exclude_unset`),
aliases as the JSON names them — and answer with orjson. The response models stay the contract (each
route's `response_model`, the OpenAPI document, the TypeScript client); tests/unit/search/
test_answer_bytes.py holds every dict builder to them: validated by the model and written by pydantic,
the bytes must be the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import Response
from pydantic import BaseModel


def json_answer(content: Mapping[str, Any], *, headers: Mapping[str, str] | None = None) -> Response:
    """The answer as FastAPI writes a response model: application/json, its length, these headers."""
    return Response(orjson.dumps(content), media_type="application/json", headers=headers)


def localized(value: Mapping[str, Any] | None) -> dict[str, Any]:
    """A `LocalizedText` made from stored text (an address, a place's name): the parts given, `bn` first."""
    if not value:
        return {}
    return {key: value[key] for key in ("bn", "en") if key in value}


def as_float(value: float | None) -> float | None:
    """A float field's value as pydantic writes it: 425 becomes 425.0."""
    return None if value is None else float(value)


def in_field_order(model: type[BaseModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` keyed in `model`'s field order (parent models' fields first), as pydantic writes them."""
    return {name: values[name] for name in model.model_fields if name in values}
