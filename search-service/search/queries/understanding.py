"""Query understanding: which taxonomy categories does a free-text query name, in any script?

The taxonomy's names, aliases and items (schemas/taxonomy.json) are the synonym data: "kosai",
"কসাই" and "butcher" all name the butcher category. Matching happens on Banglish keys (a phonetic,
script-neutral spelling, see portal.bangla.romanize), with typo tolerance that grows with word length.
Applied at query time, so editing the taxonomy changes search without reindexing.

How people actually type is handled by kind, never by listing queries:
- a whole name, with typos ("electrishian"), written apart or together ("রাজ মিস্ত্রি", "easy bike");
- one distinctive word of a longer name ("blood" of "blood donor", "মসলা" of "মধু ও মসলা"): a word
  that belongs to one category only; shared words such as "mistri" or "ভাড়া" never decide alone;
- a word with a Bangla case ending or an English plural ("ডাক্তারের", "gorur", "eggs");
- filler words around the name ("রক্ত লাগবে", "kosai dorkar") that name nothing;
- a blood group anywhere in the query ("o+ blood", "বি পজিটিভ").
The best reading is the one that explains the query with the fewest compromises: whole names beat
parts of names, exact spellings beat typos, and on a tie the last word wins (Bangla puts the head noun
last: "মিষ্টি দই" is a yogurt).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache

from portal.bangla.normalize import normalize_text
from portal.bangla.romanize import banglish_key, edit_distance, max_typos
from portal.contracts import taxonomy

FULL, PART = 1.0, 0.7  # how much a matched query word tells: the whole of a name, or a distinctive part of it
TYPO_COST, ENDING_COST = 0.4, 0.05

# Case endings and plurals, by script. Tried only as exact matches, so they never widen typo tolerance.
BANGLA_ENDINGS = ("গুলো", "গুলি", "ওয়ালা", "ওয়ালি", "য়ের", "দের", "এর", "ের", "রা", "তে", "টা", "টি", "কে", "র")
LATIN_ENDINGS = ("gulo", "guli", "wala", "wali", "yer", "der", "ies", "es", "er", "ra", "te", "ke", "s", "r")
NAME_SEPARATORS = re.compile(r"\s*(?:/|,|&|\band\b|\bও\b)\s*")
_FILLERS = (
    "লাগবে দরকার চাই প্রয়োজন খুঁজছি কোথায় আছে কাছে কাছাকাছি এখানে দোকান ভালো জরুরি "
    "lagbe dorkar chai proyojon khujchi kothay ache kache kachakachi dokan valo bhalo joruri "
    "need want near nearby me my find shop store best urgent please the a an for in of"
)
FILLER_WORDS = tuple(_FILLERS.split())  # words around a name that name nothing themselves
BLOOD_GROUP = re.compile(
    r"(?<![a-z])(ab|a|b|o|এবি|এ|বি|ও)\s*(\+|-|−|positive|negative|pos|neg|পজিটিভ|নেগেটিভ)(?![a-z])",
    re.IGNORECASE,
)
BLOOD_WORDS = {"ab": "AB", "a": "A", "b": "B", "o": "O", "এবি": "AB", "এ": "A", "বি": "B", "ও": "O"}


@dataclass(frozen=True)
class NameEntry:
    category: str
    tokens: tuple[str, ...]  # banglish key tokens of one name
    is_item: bool  # a product item ("গরু") rather than the category's own name


@dataclass(frozen=True)
class Understanding:
    """What a query names: categories (best first), and whether they explain every word of it."""

    text: str  # normalized query text, blood group removed
    key_tokens: tuple[str, ...]
    categories: tuple[str, ...]
    covers_query: bool  # every query word is part of a matched name (or a filler word)
    items: tuple[str, ...] = ()  # key tokens (space-joined) of the matched item names, to boost titles
    blood_group: str | None = None


@dataclass
class _Reading:
    score: float = 0.0
    positions: set[int] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    last: int = -1


def _key_tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in banglish_key(text).split() if t)


def _names(name: str) -> list[str]:
    """A taxonomy name and, for compound names ("মধু ও মসলা", "বাড়ি/অফিস ভাড়া"), its parts."""
    parts = [p for p in NAME_SEPARATORS.split(name) if p.strip()]
    return [name, *parts] if len(parts) > 1 else [name]


@cache
def _entries(kind: str) -> tuple[NameEntry, ...]:
    entries: set[NameEntry] = set()
    for category in taxonomy().categories(kind).values():
        item_names = {name for pair in category.items for name in pair}
        for name in category.names():
            for variant in _names(name):
                tokens = _key_tokens(variant)
                if not tokens:
                    continue
                entries.add(NameEntry(category.slug, tokens, name in item_names))
                if len(tokens) > 1:  # written together: "রাজমিস্ত্রি", "desimurgi"
                    entries.add(NameEntry(category.slug, ("".join(tokens),), name in item_names))
    return tuple(sorted(entries, key=lambda e: (e.category, e.tokens)))


@cache
def _distinctive_words(kind: str) -> dict[str, str]:
    """Name words (3+ letters) that occur in one category only: such a word alone names it."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in _entries(kind):
        for token in entry.tokens:
            owners[token].add(entry.category)
    fillers = {banglish_key(w) for w in FILLER_WORDS}
    return {t: next(iter(c)) for t, c in owners.items() if len(c) == 1 and len(t) >= 3 and t not in fillers}


@cache
def _filler_keys() -> frozenset[str]:
    return frozenset(banglish_key(w) for w in FILLER_WORDS)


@lru_cache(maxsize=500_000)
def _typos(query_token: str, name_token: str) -> int | None:
    """Typos between two key tokens, or None if further apart than their length allows.

    Cached: the name side is the taxonomy's few hundred words and people type the same words.
    """
    if query_token == name_token:
        return 0
    allowed = min(max_typos(name_token), max_typos(query_token))
    if allowed == 0 or abs(len(query_token) - len(name_token)) > allowed:
        return None
    distance = edit_distance(query_token, name_token)
    return distance if distance <= allowed else None


def _stems(word: str) -> list[str]:
    """Keys of a query word without its case ending or plural ("ডাক্তারের" → daktar, "eggs" → eg)."""
    endings = BANGLA_ENDINGS if re.search(r"[\u0980-\u09ff]", word) else LATIN_ENDINGS
    stems = []
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: -len(ending)] + ("y" if ending == "ies" else "")
            stems.append(banglish_key(stem))
    return [s for s in stems if s]


def _extract_blood_group(text: str) -> tuple[str, str | None]:
    match = BLOOD_GROUP.search(text)
    if not match:
        return text, None
    letters = BLOOD_WORDS[match.group(1).lower()]
    sign = "-" if match.group(2).lower() in ("-", "−", "negative", "neg", "নেগেটিভ") else "+"
    return (text[: match.start()] + " " + text[match.end() :]).strip(), letters + sign


@lru_cache(maxsize=20_000)
def understand(query: str, kind: str) -> Understanding:
    """Find the categories a query names. `kind` is "provider" or "product".

    Pure for a given taxonomy, so answers are cached: popular queries repeat all day.
    """
    text = normalize_text(query)
    blood_group = None
    if kind == "provider":
        text, blood_group = _extract_blood_group(text)
    words = [w for w in re.split(r"\s+", text) if w]
    tokens = _key_tokens(text)
    if not tokens:
        return Understanding(
            text, tokens, ("blood_donor",) if blood_group else (), bool(blood_group), (), blood_group
        )
    # Per query word: its key, plus exact-only stems when the word maps to a single key token.
    stems = {i: _stems(w.lower()) for i, w in enumerate(words)} if len(words) == len(tokens) else {}
    readings: dict[str, _Reading] = defaultdict(_Reading)

    def credit(category: str, positions: range, gain: float, item: str | None = None) -> None:
        reading = readings[category]
        new = set(positions) - reading.positions
        if not new:
            return
        reading.score += gain * len(new) / len(positions)
        reading.positions |= new
        reading.last = max(reading.last, *positions)
        if item:
            reading.items.add(item)

    entries = _entries(kind)
    # Best match first, so a word credited by a whole name is not credited again by a weaker part.
    candidates: list[tuple[float, str, range, str | None]] = []
    for entry in entries:
        n = len(entry.tokens)
        for start in range(len(tokens) - n + 1):
            typos = [_typos(tokens[start + k], entry.tokens[k]) for k in range(n)]
            if all(t is not None for t in typos):
                gain = n * FULL - TYPO_COST * sum(typos)  # type: ignore[arg-type]
                candidates.append((gain, entry.category, range(start, start + n), _item(entry)))
        if n == 1:
            for start in range(len(tokens) - 1):  # written apart: "easy bike", "লাল শাক"
                if _typos(tokens[start] + tokens[start + 1], entry.tokens[0]) == 0:
                    candidates.append((2 * FULL, entry.category, range(start, start + 2), _item(entry)))
            for i, word_stems in stems.items():  # case endings and plurals, exact only
                if entry.tokens[0] in word_stems:
                    candidates.append((FULL - ENDING_COST, entry.category, range(i, i + 1), _item(entry)))
    distinctive = _distinctive_words(kind)
    for i, token in enumerate(tokens):
        for form in stems.get(i, ()):
            if form in distinctive:
                candidates.append((PART - ENDING_COST, distinctive[form], range(i, i + 1), None))
        for word, category in distinctive.items():
            typos = _typos(token, word)
            # A part of a name is weaker evidence than a whole name: typos only from five letters on.
            if typos is not None and (typos == 0 or len(token) >= 5):
                candidates.append((PART - TYPO_COST * typos, category, range(i, i + 1), None))
            # one half of a closed compound: "sobji" of শাকসবজি
            elif (
                len(token) >= 4
                and len(word) >= len(token) + 2
                and (word.startswith(token) or word.endswith(token))
            ):
                candidates.append((PART - TYPO_COST / 2, category, range(i, i + 1), None))
    for gain, category, positions, item in sorted(candidates, key=lambda c: -c[0] / len(c[2])):
        credit(category, positions, gain, item)
    fillers = {i for i, t in enumerate(tokens) if t in _filler_keys()}
    readings = {c: r for c, r in readings.items() if r.positions - fillers}
    if not readings:
        return Understanding(text, tokens, ("blood_donor",) if blood_group else (), False, (), blood_group)
    best_score = max(r.score for r in readings.values())
    winners = [c for c, r in readings.items() if r.score >= best_score - 1e-9]
    if len(winners) > 1:  # a tie: the category named by the last word leads ("মিষ্টি দই")
        last = max(readings[c].last for c in winners)
        winners = [c for c in winners if readings[c].last == last] or winners
    winners.sort()
    covered = set().union(*(readings[c].positions for c in winners)) | fillers
    items = tuple(sorted({i for c in winners for i in readings[c].items}))
    return Understanding(text, tokens, tuple(winners), covered >= set(range(len(tokens))), items, blood_group)


def _item(entry: NameEntry) -> str | None:
    return " ".join(entry.tokens) if entry.is_item else None
