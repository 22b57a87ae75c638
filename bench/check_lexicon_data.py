"""Check schemas/not_listed.json and schemas/dialect.json against what the search already knows.

    .venv/bin/python bench/check_lexicon_data.py [--json-out PATH]

A name of something the directory does NOT list must never be read as something it does list: the
search would then answer "we don't list that" for a listed need. Everything is compared the way query
understanding compares it, on Banglish keys (portal.bangla.romanize.banglish_key), so a collision in
any script is found (ঘড়ি and গাড়ি are both "gari").

Errors (exit 1), to fix before committing:
- a name whose key, or its key without a case ending, is the key of a listed phrase (taxonomy names,
  aliases, items and the parts of compound names, needs.json, livestock breeds, places), the same
  listed phrase read back with an ending, or a filler / verb form of query_language.json;
- the name read as a whole query by the real reader (search.understanding.reading) and found exactly as a
  listed category, or a modifier + head of a composition that is itself a listed phrase;
- one key in two entries; unknown slugs in `related`; a dialect example naming no known category.
Warnings (read them, decide): a name one typo from a listed word, equal to a word inside a listed
phrase, or read only through typos or consonants; a dialect word whose own key is a listed phrase.
`script_names` are skipped by the key checks: they are matched only as written.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.bangla.romanize import banglish_key, edit_distance, max_typos
from portal.contracts import SCHEMAS_DIR, livestock, needs, query_language, storefront, taxonomy
from search.understanding.lexicon import KINDS, Lexicon, _groups, _verb_forms
from search.understanding.reading import _word, read_query

#: Categories issue 20 adds; counted as listed until taxonomy.json has them, with the words they will own.
PENDING_CATEGORIES: dict[str, list[str]] = {
    "pharmacy": ["ফার্মেসি", "ফার্মেসী", "ওষুধের দোকান", "ঔষধের দোকান", "ওষুধ", "ঔষধ", "pharmacy", "drug store",
                 "medicine shop", "medicine", "dispensary", "ডিসপেনসারি"],
    "hospital": ["হাসপাতাল", "ক্লিনিক", "ডায়াগনস্টিক সেন্টার", "ডায়াগনস্টিক", "স্বাস্থ্য কমপ্লেক্স", "কমিউনিটি ক্লিনিক",
                 "hospital", "clinic", "diagnostic centre", "diagnostic center", "health complex"],
}  # fmt: skip


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        self.errors.append(text)

    def warn(self, text: str) -> None:
        self.warnings.append(text)


@dataclass(frozen=True)
class Listed:
    """A phrase the search already reads, as written in its contract: what it names, where it comes from."""

    text: str
    target: str
    source: str

    @property
    def kind(self) -> str | None:
        """The search that reads it (None: both): a not-listed name collides only with its own kinds'."""
        if self.source.startswith("livestock") or self.source.endswith(" product"):
            return "product"
        if self.source.endswith(" provider") or self.source == "pending category":
            return "provider"
        return None


def key(text: str) -> str:
    return banglish_key(text)


def listed_phrases() -> list[Listed]:
    """Every listed phrase as written in the contracts (surfaces are needed to read them with endings)."""
    out: list[Listed] = []
    tax = taxonomy()
    for kind in KINDS:
        for category in tax.categories(kind).values():
            for name in category.names():
                out.append(Listed(name, category.slug, f"taxonomy {kind}"))
        for slug, words in needs().get(kind, {}).items():
            out.extend(Listed(w, slug, f"needs {kind}") for w in words)
    for slug, words in PENDING_CATEGORIES.items():
        if slug not in tax.categories("provider"):
            out.extend(Listed(w, slug, "pending category") for w in words)
    for breed in livestock().breeds.values():
        out.extend(Listed(s, breed.slug, "livestock breed") for s in breed.spellings)
    raw = json.loads((SCHEMAS_DIR / "livestock.json").read_text(encoding="utf-8"))
    for group in ("animals", "sexes", "seen_at_kinds"):
        for label in raw[group]:
            out.append(Listed(label["bn"], label["slug"], f"livestock {group}"))
    for method in storefront()["payment_methods"]:
        out.extend(Listed(a, method["slug"], "payment method") for a in [method["bn"], *method["aliases"]])
    return out


def name_lists(entry: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(list name, word) of an entry or composition, script_names left out."""
    for field_name in ("names", "modifiers", "heads"):
        for word in entry.get(field_name, ()):
            yield field_name, word


def check_shape(data: dict[str, Any], report: Report) -> dict[str, dict[str, Any]]:
    tax = taxonomy()
    slugs: dict[str, set[str]] = {
        kind: set(tax.categories(kind)) | (set(PENDING_CATEGORIES) if kind == "provider" else set())
        for kind in KINDS
    }
    by_slug: dict[str, dict[str, Any]] = {}
    for section in ("entries", "compositions"):
        for entry in data[section]:
            slug = entry["slug"]
            if slug in by_slug:
                report.error(f"{slug}: slug used twice")
            by_slug[slug] = entry
            if not entry["kinds"] or set(entry["kinds"]) - set(KINDS):
                report.error(f"{slug}: kinds {entry['kinds']} must be a non-empty subset of {KINDS}")
            if not entry.get("bn") or not entry.get("en"):
                report.error(f"{slug}: bn and en labels are required")
            if not entry.get("names") and section == "entries":
                report.error(f"{slug}: no names")
            if section == "compositions" and not (entry.get("modifiers") and entry.get("heads")):
                report.error(f"{slug}: a composition needs modifiers and heads")
            for kind, related in entry["related"].items():
                unknown = set(related) - slugs.get(kind, set())
                if unknown:
                    report.error(f"{slug}: related {kind} {sorted(unknown)} are not listed categories")
            words = [w for _, w in name_lists(entry)] + entry.get("script_names", [])
            for word in words:
                if unicodedata.normalize("NFC", word) != word or word != word.strip() or not word:
                    report.error(f"{slug}: {word!r} is not NFC-normalized trimmed text")
    return by_slug


def check_names(data: dict[str, Any], report: Report) -> int:
    """The key checks on every name; returns how many names were checked."""
    lexicon = Lexicon()
    listed = listed_phrases()
    listed_by_key: dict[str, list[Listed]] = defaultdict(list)
    listed_single: dict[str, list[Listed]] = defaultdict(list)
    tokens_in_phrases: dict[str, list[Listed]] = defaultdict(list)
    for phrase in listed:
        k = key(phrase.text)
        if not k:
            continue
        listed_by_key[k].append(phrase)
        listed_by_key[k.replace(" ", "")].append(phrase)
        if " " not in k:
            read = _word(phrase.text, lexicon)
            for form, _cost in read.forms if read else ():
                listed_single[form].append(phrase)
        else:
            for token in k.split():
                tokens_in_phrases[token].append(phrase)
    language = query_language()
    fillers = {t for w in _groups(language["fillers"]) for t in key(w).split()}
    verb_forms = set(_verb_forms(language["verbs"]))
    place_markers = {t for w in language["place_markers"]["words"] for t in key(w).split()}

    # a not-listed name collides only with the listed phrases of its own kinds: one view per kinds
    views: dict[tuple[str, ...], tuple[dict[str, list[Listed]], dict[str, list[Listed]]]] = {}
    owners: dict[str, set[str]] = defaultdict(set)
    checked = 0
    for section in ("entries", "compositions"):
        for entry in data[section]:
            slug = entry["slug"]
            for field_name, word in name_lists(entry):
                k = key(word)
                if not k:
                    report.error(f"{slug}: {word!r} has an empty key")
                    continue
                if field_name == "names":
                    checked += 1
                    owners[k].add(slug)
                    owners[k.replace(" ", "")].add(slug)
                    kinds = tuple(entry["kinds"])
                    if kinds not in views:
                        views[kinds] = (_of_kinds(listed_by_key, kinds), _of_kinds(listed_single, kinds))
                    _check_name(slug, word, k, lexicon, entry["kinds"], *views[kinds],
                                tokens_in_phrases, fillers | verb_forms, place_markers, report)  # fmt: skip
            if section == "compositions":
                _check_composition(entry, listed_by_key, report)
    pairs: dict[str, set[str]] = defaultdict(set)
    for entry in data["compositions"]:
        for modifier in entry["modifiers"]:
            for head in entry["heads"]:
                pairs[f"{key(modifier)} {key(head)}"].add(entry["slug"])
    for pair, slugs in sorted(pairs.items()):
        if len(slugs) > 1:
            report.error(f"modifier + head {pair!r} composes several entries: {sorted(slugs)}")
    for k, slugs in sorted(owners.items()):
        if len(slugs) > 1:
            report.error(f"key {k!r} belongs to several entries: {sorted(slugs)}")
    return checked


def _of_kinds(index: dict[str, list[Listed]], kinds: tuple[str, ...]) -> dict[str, list[Listed]]:
    """The index's phrases that a search of these kinds reads (a phrase of no kind is read by both)."""
    return {
        k: found
        for k, phrases in index.items()
        if (found := [p for p in phrases if p.kind in (None, *kinds)])
    }


def _describe(phrases: Iterable[Listed]) -> str:
    seen = sorted({f"{p.text} ({p.source} → {p.target})" for p in phrases})
    return "; ".join(seen[:4]) + (" …" if len(seen) > 4 else "")


def _check_name(
    slug: str,
    word: str,
    k: str,
    lexicon: Lexicon,
    kinds: list[str],
    listed_by_key: dict[str, list[Listed]],
    listed_single: dict[str, list[Listed]],
    tokens_in_phrases: dict[str, list[Listed]],
    fillers: set[str],
    place_markers: set[str],
    report: Report,
) -> None:
    where = f"{slug}: {word!r} [{k}]"
    hit = listed_by_key.get(k) or listed_by_key.get(k.replace(" ", ""))
    if hit:
        report.error(f"{where} is the key of a listed phrase: {_describe(hit)}")
    if " " not in k:
        read = _word(word, lexicon)
        for form, _cost in read.forms if read else ():
            if form != k and form in listed_by_key:
                report.error(f"{where} without its ending is listed: {_describe(listed_by_key[form])}")
        if k in listed_single and not hit:
            report.error(f"{where} is a listed word read with an ending: {_describe(listed_single[k])}")
        if k in fillers:
            report.error(f"{where} is a filler or verb form of query_language.json")
        if k in place_markers:
            report.warn(f"{where} is a place marker of query_language.json")
        if k in tokens_in_phrases:
            report.warn(f"{where} is a word inside a listed phrase: {_describe(tokens_in_phrases[k])}")
        near = [
            t
            for t in listed_single
            if " " not in t and t != k and abs(len(t) - len(k)) <= 2 and min(max_typos(t), max_typos(k)) > 0
            and edit_distance(t, k) <= min(max_typos(t), max_typos(k))
        ]  # fmt: skip
        if near:
            report.warn(
                f"{where} is a typo away from listed " + _describe(p for t in near for p in listed_single[t])
            )
    for kind in kinds:
        reading = read_query(word, kind, lexicon)
        n = len(reading.words)
        for span in reading.spans:
            if span.phrase.role == "place" or (span.phrase.role == "unlisted" and span.phrase.target == slug):
                continue  # a place, or the entry read as itself
            whole = span.start == 0 and span.end == n
            if whole and span.typos == 0 and not hit:
                report.error(f"{where} is read exactly as {kind} {span.phrase.target} ({span.phrase.role})")
            elif whole and span.typos:
                report.warn(
                    f"{where} is read through typos as {kind} {span.phrase.target} ({span.phrase.role})"
                )


def _check_composition(entry: dict[str, Any], listed_by_key: dict[str, list[Listed]], report: Report) -> None:
    for modifier in entry["modifiers"]:
        for head in entry["heads"]:
            pair = f"{key(modifier)} {key(head)}"
            if pair in listed_by_key:
                report.error(
                    f"{entry['slug']}: {modifier} + {head} is the listed phrase {_describe(listed_by_key[pair])}"
                )


def check_dialect(dialect: dict[str, Any], entries: dict[str, dict[str, Any]], report: Report) -> None:
    listed_keys = {key(p.text) for p in listed_phrases()}
    slugs = {s for kind in KINDS for s in taxonomy().categories(kind)} | set(PENDING_CATEGORIES)
    for word, standard in dialect["words"].items():
        if " " in word.strip() or " " in standard.strip():
            report.error(f"dialect: {word!r} → {standard!r}: one word on each side")
        if unicodedata.normalize("NFC", word + standard) != word + standard:
            report.error(f"dialect: {word!r} → {standard!r} is not NFC")
        k = key(word)
        if k in listed_keys and key(standard) != k:
            report.warn(
                f"dialect: {word!r} [{k}] is itself a listed phrase; mapping it to {standard!r} hides that"
            )
    for group in ("verb_endings", "noun_endings"):
        for dialect_ending, standard in dialect.get(group, {}).items():
            if not dialect_ending or dialect_ending == standard:
                report.error(f"dialect: {group} {dialect_ending!r} → {standard!r} changes nothing")
    for pair in dialect["letter_alternations"]:
        if len(pair) != 2:
            report.error(f"dialect: letter alternation {pair} is not a pair")
    for example in dialect["examples"]:
        expect = example["category"]
        slug = expect.removeprefix("not_listed:")
        known = slug in entries if expect.startswith("not_listed:") else slug in slugs
        if not known:
            report.error(f"dialect example {example['dialect']!r}: unknown category {expect!r}")
        if not example.get("standard") or example.get("kind") not in KINDS:
            report.error(
                f"dialect example {example['dialect']!r}: needs `standard` and `kind` (provider|product)"
            )


def load_strict(name: str, report: Report) -> dict[str, Any]:
    """Load a schema file, reporting keys written twice in one object (json.loads keeps the last silently)."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for k, _ in items:
            if k in seen:
                report.error(f"{name}: key {k!r} written twice in one object")
            seen.add(k)
        return dict(items)

    loaded: dict[str, Any] = json.loads(
        (SCHEMAS_DIR / name).read_text(encoding="utf-8"), object_pairs_hook=pairs
    )
    return loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json-out", type=Path, help="also write the findings as JSON here")
    args = parser.parse_args(argv)
    report = Report()
    data = load_strict("not_listed.json", report)
    dialect = load_strict("dialect.json", report)
    entries = check_shape(data, report)
    checked = check_names(data, report)
    check_dialect(dialect, entries, report)
    for line in report.errors:
        print("ERROR   ", line)
    for line in report.warnings:
        print("warning ", line)
    print()
    print(f"{'file':<18} {'items':>6}")
    print(
        f"{'not_listed':<18} {len(data['entries']):>6} entries, {len(data['compositions'])} compositions, {checked} names"
    )
    print(f"{'dialect':<18} {len(dialect['words']):>6} words, {len(dialect['verb_endings'])} verb endings, "
          f"{len(dialect['examples'])} examples")  # fmt: skip
    print(f"{'findings':<18} {len(report.errors):>6} errors, {len(report.warnings)} warnings")
    if args.json_out:
        args.json_out.write_text(
            json.dumps({"errors": report.errors, "warnings": report.warnings}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
