"""Which names of unions and markets may become places a search understands, and which may not.

A place name is read wherever it appears in a query, so a union called like a common word would turn
every search with that word into a place search: a union named নগর ("town") or a market named after a
trade would move "the nearest electrician" somewhere else. Names are compared the way the search
compares words, on Banglish keys (portal.bangla.romanize.banglish_key), against every word the search
already reads as something else: categories, their aliases and items (taxonomy.json), needs
(needs.json), the query language's fillers, context words, verb forms, place markers, units, amounts
and request words (query_language.json), what the directory does not list (not_listed.json), the
cattle market's animals and breeds (livestock.json) and payment methods (storefront.json).

Refused (the name is left out, and the build says why):
- its key is a listed word's key, or is one with a case ending (-er, -e, -r, -te), or a listed word
  is it with a case ending;
- its key is another place's key in the same district (the first place keeps it: upazilas come first).
Warned (kept, and listed by `check_places.py`): one typo from a listed name (fillers and verb forms
are read as written, so only names count), or a word inside a listed phrase of several words.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from portal.bangla.romanize import banglish_key, edit_distance, max_typos
from portal.contracts import SCHEMAS_DIR, livestock, needs, not_listed, query_language, storefront, taxonomy

#: Case endings a name takes in a query ("মসূয়ার", "Masuate"): a key with one is the same word.
CASE_ENDINGS = ("er", "e", "r", "te")
#: Shorter keys are not compared with endings stripped ("ra" + "r" is no word of its own).
MIN_STEM = 3


@dataclass(frozen=True)
class Listed:
    """A word or phrase the search already reads, and which contract says so."""

    text: str
    source: str


@dataclass
class Verdict:
    """Why a name may not be a place (`refusal`), or what to look at though it may (`warnings`)."""

    refusal: str | None = None
    warnings: list[str] = field(default_factory=list)


def _strings(value: Any) -> Iterator[str]:
    """Every string of a contract value (lists, objects' values and the keys of amount tables)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for k, v in value.items():
            if k.startswith("$"):
                continue
            if isinstance(v, int | float):
                yield k  # measures: a word → its factor
            else:
                yield from _strings(v)


def _verb_forms(verbs: dict[str, Any]) -> Iterator[str]:
    """Root × ending, as the query language composes inflected verbs ("কর" + "বো"); two vowel signs
    in a row are no word ("ঘুরা" + "িয়ে")."""
    for root in verbs["roots"]:
        for ending in verbs["endings"]:
            if not (_is_sign(root[-1]) and _is_sign(ending[0])):
                yield root + ending


def _is_sign(ch: str) -> bool:
    """A dependent vowel sign or hasanta (া ি ী ু ূ ৃ ে ৈ ো ৌ ্)."""
    return "\u09be" <= ch <= "\u09cd"


@cache
def listed_words() -> tuple[Listed, ...]:
    """Everything the search reads as something other than a place, with its source."""
    out: list[Listed] = []
    tax = taxonomy()
    for kind in ("provider", "product"):
        for category in tax.categories(kind).values():
            out.extend(Listed(name, f"taxonomy {kind} {category.slug}") for name in category.names())
        for slug, words in needs().get(kind, {}).items():
            out.extend(Listed(w, f"needs {kind} {slug}") for w in words)
    language = query_language()
    for section, value in language.items():
        if section.startswith("$") or section == "latin_letters_in_bangla":
            continue
        if section == "verbs":
            out.extend(Listed(w, "query_language verbs (root + ending)") for w in _verb_forms(value))
            continue
        out.extend(Listed(w, f"query_language {section}") for w in _strings(value))
    for entry in not_listed().values():
        words = (*entry.names, *entry.modifiers, *entry.heads, *entry.script_names)
        out.extend(Listed(w, f"not_listed {entry.slug}") for w in words)
    stock = livestock()
    for breed in stock.breeds.values():
        out.extend(Listed(s, f"livestock breed {breed.slug}") for s in breed.spellings)
    for word in stock.animal_words:
        out.append(Listed(word, "livestock animal word"))
    raw = json.loads((SCHEMAS_DIR / "livestock.json").read_text(encoding="utf-8"))
    for group in ("animals", "sexes", "seen_at_kinds"):
        out.extend(Listed(label[lang], f"livestock {group}") for label in raw[group] for lang in ("bn", "en"))
    for method in storefront()["payment_methods"]:
        out.extend(
            Listed(w, "storefront payment method") for w in (method["bn"], method["en"], *method["aliases"])
        )
    return tuple(out)


@dataclass(frozen=True)
class ListedIndex:
    """The listed words by key, and the single words inside listed phrases of several words."""

    by_key: dict[str, tuple[Listed, ...]]
    inside_phrases: dict[str, tuple[Listed, ...]]
    by_deletion: dict[str, frozenset[str]]  # a single-word key with up to 2 letters deleted → the keys


def _deletions(key: str, depth: int = 2) -> set[str]:
    """The key with up to `depth` letters deleted: two keys within `depth` edits share one of these."""
    found, frontier = {key}, {key}
    for _ in range(depth):
        frontier = {k[:i] + k[i + 1 :] for k in frontier for i in range(len(k))} - found
        found |= frontier
    return found


@cache
def listed_index() -> ListedIndex:
    """Listed words by key, and a deletion index that finds those a few typos away without comparing
    a name with every listed word."""
    by_key: dict[str, list[Listed]] = defaultdict(list)
    inside: dict[str, list[Listed]] = defaultdict(list)
    for listed in listed_words():
        k = banglish_key(listed.text)
        if not k:
            continue
        by_key[k].append(listed)
        by_key[k.replace(" ", "")].append(listed)
        if " " in k:
            for token in k.split():
                inside[token].append(listed)
    by_deletion: dict[str, set[str]] = defaultdict(set)
    for k in by_key:
        if " " not in k and max_typos(k):
            for variant in _deletions(k):
                by_deletion[variant].add(k)
    return ListedIndex(
        {k: tuple(v) for k, v in by_key.items()},
        {k: tuple(v) for k, v in inside.items()},
        {k: frozenset(v) for k, v in by_deletion.items()},
    )


def describe(listed: Iterable[Listed]) -> str:
    seen = sorted({f"{item.text} ({item.source})" for item in listed})
    return "; ".join(seen[:3]) + (f" and {len(seen) - 3} more" if len(seen) > 3 else "")


def _stems(key: str) -> Iterator[str]:
    for ending in CASE_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= MIN_STEM:
            yield key[: -len(ending)]


@cache
def judge(name: str) -> Verdict:
    """Whether one name may be a place, compared with every listed word."""
    index = listed_index()
    key = banglish_key(name)
    verdict = Verdict()
    if not key:
        verdict.refusal = "it has no Banglish key"
        return verdict
    if hit := index.by_key.get(key) or index.by_key.get(key.replace(" ", "")):
        verdict.refusal = f"its key {key!r} is the key of {describe(hit)}"
        return verdict
    if " " in key:
        return verdict  # a phrase of several words is read only as a whole
    for stem in _stems(key):
        if hit := index.by_key.get(stem):
            verdict.refusal = f"its key {key!r} is {stem!r} with a case ending: {describe(hit)}"
            return verdict
    for ending in CASE_ENDINGS:
        if len(key) >= MIN_STEM and (hit := index.by_key.get(key + ending)):
            verdict.refusal = f"{key!r} + {ending!r} is the key of {describe(hit)}"
            return verdict
    if hit := index.inside_phrases.get(key):
        verdict.warnings.append(f"{key!r} is a word inside {describe(hit)}")
    budget = max_typos(key)
    if budget:
        candidates = {k for variant in _deletions(key, budget) for k in index.by_deletion.get(variant, ())}
        near = sorted(
            k for k in candidates if k != key and edit_distance(k, key) <= min(budget, max_typos(k))
        )
        # Fillers and verb forms are matched as written, never through typos: only names count here.
        listed = [
            item for k in near for item in index.by_key[k] if not item.source.startswith("query_language")
        ]
        if listed:
            verdict.warnings.append(f"{key!r} is a typo away from {describe(listed)}")
    return verdict
