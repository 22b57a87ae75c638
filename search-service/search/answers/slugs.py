"""A slug of the contracts (a category, an upazila, a breed, a payment method) → the words a frontend
shows for it (answers/labels.py), in one place for every answer: as a `Label` model, or as the JSON
object an answer written from dicts carries (answers/json_answer.py), `{"slug", "bn", "en"}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from portal.contracts import Label as ContractLabel
from portal.contracts import taxonomy
from search.answers.labels import CategoryCount, Label


def label(slug: str, known: Mapping[str, ContractLabel]) -> Label:
    """The contract's words for a slug; a slug it does not know (or has since dropped) stands for itself."""
    found = known.get(slug)
    return Label(slug=slug, bn=found.bn, en=found.en) if found else Label(slug=slug, bn=slug, en=slug)


def labelled_counts(aggregation: dict[str, Any], known: Mapping[str, ContractLabel]) -> list[CategoryCount]:
    """A terms aggregation's buckets as facets a frontend can show: each slug's words (the slug itself
    when the contract does not know it) and its count."""
    out = []
    for bucket in aggregation.get("buckets", []):
        slug, found = bucket["key"], known.get(bucket["key"])
        bn, en = (found.bn, found.en) if found else (slug, slug)
        out.append(CategoryCount(slug=slug, bn=bn, en=en, count=bucket["doc_count"]))
    return out


@cache
def category_label(entity: str, slug: str) -> Label:
    """The taxonomy's words for a category (one shared instance per slug)."""
    return label(slug, taxonomy().categories(entity))


@cache
def upazila_label(slug: str) -> Label:
    return label(slug, taxonomy().upazilas)


def label_json(slug: str, known: Mapping[str, ContractLabel]) -> dict[str, str]:
    """`label` as the JSON object it serializes to."""
    found = known.get(slug)
    return {"slug": slug, "bn": found.bn, "en": found.en} if found else {"slug": slug, "bn": slug, "en": slug}


def counts_json(aggregation: dict[str, Any], known: Mapping[str, ContractLabel]) -> list[dict[str, Any]]:
    """`labelled_counts` as the JSON objects they serialize to."""
    return [
        {**label_json(bucket["key"], known), "count": bucket["doc_count"]}
        for bucket in aggregation.get("buckets", [])
    ]


@cache
def category_json(entity: str, slug: str) -> dict[str, str]:
    """`category_label` as JSON: one shared dict per slug, which nothing may change."""
    return label_json(slug, taxonomy().categories(entity))


@cache
def upazila_json(slug: str) -> dict[str, str]:
    return label_json(slug, taxonomy().upazilas)
