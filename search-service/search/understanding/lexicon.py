"""The words query understanding knows, built from the contracts in schemas/ plus run-time synonyms.

- category names, aliases and items (taxonomy.json): a match names the category;
- what people ask for instead of the trade (needs.json): "লাইট", "khat", "ডায়াবেটিস";
- places (the configured district's generated gazetteer, schemas/geography/): upazilas, paurashavas,
  unions and markets, in Bangla, Banglish and English;
- livestock breeds (livestock.json): "শাহীওয়াল", "shahiwal", "ব্ল্যাক বেঙ্গল" filter products on a breed;
- what the directory does not list (not_listed.json): "দর্জি", "গরুর ডাক্তার", "সার" — named so the search can
  say so instead of offering something else as a match;
- words that name nothing (query_language.json): fillers, and every inflected form of common verbs,
  generated from roots × endings rather than listed; and words that only say where, when or what kind
  of work (`context`: বাসা, day, মেরামত), which decide a category only when nothing stronger does;
- synonyms clerks add through ingest-service (a compacted Kafka topic), on top of the base.

Every phrase is stored as Banglish keys (portal.bangla.romanize), so one entry covers its Bangla,
Banglish and English spellings, and typos are found through a symmetric-delete index over the few
thousand key tokens: a query word costs a few dictionary lookups, not an edit distance per entry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from portal.bangla.normalize import is_bangla, normalize_text
from portal.bangla.romanize import banglish_key, edit_distance, max_typos
from portal.contracts import (
    Unlisted,
    dialect,
    livestock,
    needs,
    not_listed,
    places,
    query_language,
    taxonomy,
)
from portal.synonyms import SynonymSet
from search.understanding.endings import LATIN_NOUN_ENDINGS, written_stems

#: How much a matched token tells, by the role of the phrase it belongs to.
ROLE_WEIGHTS = {
    "name": 1.0, "item": 1.0, "synonym": 1.0, "place": 1.0, "breed": 1.0, "unlisted": 1.0, "need": 0.8, "part": 0.7,
}  # fmt: skip
KINDS = ("provider", "product")
NAME_SEPARATORS = re.compile(r"\s*(?:/|,|&|\band\b|\bও\b)\s*")


@dataclass(frozen=True)
class Phrase:
    """One way to name something: key tokens, what they name, and how strongly."""

    tokens: tuple[str, ...]
    target: str  # a category slug; a place, breed or not-listed slug for roles "place", "breed", "unlisted"
    role: str  # name | item | synonym | need | part | place | breed | unlisted
    shared_by: int = 1  # parts of names: how many categories use the word (the credit is split)

    @property
    def weight(self) -> float:
        return ROLE_WEIGHTS[self.role] / self.shared_by


#: The document field that holds each level's area: a named upazila filters on `upazila`, a union or
#: paurashava on `union` (ingest puts the one whose polygon holds the point on every document). A market
#: has no boundary: it is looked for in its upazila ("হোসেনপুর বাজারে সেলুন" is a barber of Hossainpur,
#: not only one within a walk of the bazar), measured from its point.
AREA_FIELDS = {"upazila": "upazila", "union": "union", "paurashava": "union", "market": "upazila"}


@dataclass(frozen=True)
class Place:
    slug: str
    kind: str  # "upazila" or "place" (anything smaller: a union, a paurashava, a market)
    upazila: str
    lat: float
    lon: float
    radius_km: float
    bn: str
    en: str
    level: str = "upazila"  # upazila | paurashava | union | market

    @property
    def area(self) -> dict[str, Any] | None:
        """The filter of the area a place names (AREA_FIELDS), or None for a point searched around."""
        field = AREA_FIELDS.get(self.level)
        if field is None:
            return None
        return {"term": {field: self.upazila if field == "upazila" else self.slug}}

    def public(self) -> dict[str, Any]:
        return {
            "slug": self.slug, "kind": self.kind, "level": self.level, "upazila": self.upazila,
            "bn": self.bn, "en": self.en,
        }  # fmt: skip


_VOWELS = set("aeiouyw")


def skeleton(token: str) -> str:
    """A key's consonants, doubles collapsed: how a word looks when its vowels are guessed differently
    ("রিপেয়ার" ripear and "repair" are both "rpr"). Weak evidence: only used where nothing else reads."""
    out: list[str] = []
    for ch in token:
        if ch not in _VOWELS and (not out or out[-1] != ch):
            out.append(ch)
    return "".join(out)


def key_tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in banglish_key(text).split() if t)


#: Inside a Bangla word, the letters that begin a syllable of their own after a vowel: the vowel letters
#: (অ … ঔ) and য়. The Banglish key folds such a syllable into its neighbours: "দাওয়াত", an invitation,
#: and "দাঁত", a tooth, are both "dat"; "ভইরা" (filled) is one letter from ভৈরব's "bairab".
_VOWEL_LETTERS = frozenset(map(chr, range(0x0985, 0x0995)))
_YA = normalize_text("\u09df")  # য়: NFC writes it as য and a nukta


def syllables_apart(word: str) -> int:
    """How many syllables a Bangla word (NFC) writes apart after its first letter; ওয় is one, as
    দেওয়াল is দেয়াল, a wall, spelt the other common way."""
    rest = word[1:].replace("\u0993" + _YA, _YA)
    return rest.count(_YA) + sum(ch in _VOWEL_LETTERS for ch in rest)


def _most_syllables_apart(texts: Iterable[str]) -> dict[str, int]:
    """Per key of a Bangla word of `texts`, the most syllables apart a word of that key is written with."""
    most: dict[str, int] = {}
    for text in texts:
        for word in _bangla_words(text):
            key = banglish_key(word).replace(" ", "")
            most[key] = max(most.get(key, 0), syllables_apart(word))
    return most


#: Longer keys are matched exactly: no name is that long, and a hostile query must stay cheap.
MAX_TYPO_KEY = 24


def _deletes(token: str, depth: int) -> set[str]:
    """Every string made by deleting up to `depth` characters of `token` (symmetric-delete lookups).
    Not cached: a query's words are new strings all day long, and a cache of them grew without bound."""
    found = {token}
    level = {token}
    for _ in range(min(depth, len(token) - 1)):
        level = {t[:i] + t[i + 1 :] for t in level for i in range(len(t))}
        found |= level
    return found


class Vocabulary:
    """Key tokens with typo lookup: `near("electrishian")` finds "ilektrisian" without scanning. A
    vocabulary may sit on a base one (the contracts' words under the clerks' synonyms), so adding
    synonyms indexes only their own words."""

    def __init__(self, tokens: Iterable[str], base: Vocabulary | None = None) -> None:
        self.base = base
        own = frozenset(tokens) - (base.tokens if base else frozenset())
        self.tokens: frozenset[str] = own | (base.tokens if base else frozenset())
        self._by_delete: dict[str, set[str]] = defaultdict(set)
        for token in own:
            for d in _deletes(token, max_typos(token)):
                self._by_delete[d].add(token)

    def candidates(self, deleted: str) -> Iterable[str]:
        yield from self._by_delete.get(deleted, ())
        if self.base is not None:
            yield from self.base.candidates(deleted)

    def near(self, token: str) -> dict[str, int]:
        """Vocabulary tokens within the typos both lengths allow, with their distance (0 = exact)."""
        found = {token: 0} if token in self.tokens else {}
        allowed_here = max_typos(token)
        if allowed_here == 0 or len(token) > MAX_TYPO_KEY:
            return found
        for d in _deletes(token, allowed_here):
            for candidate in self.candidates(d):
                if candidate in found:
                    continue
                allowed = min(allowed_here, max_typos(candidate))
                if allowed and abs(len(candidate) - len(token)) <= allowed and _same_onset(token, candidate):
                    distance = edit_distance(token, candidate)
                    if distance <= allowed:
                        found[candidate] = distance
        return found


#: Letters a key may start with either way: a word's first vowel is spelt many ways (ইলেকট্রিশিয়ান,
#: এলেকট্রিশিয়ান; ambulance, এম্বুলেন্স), its first consonant hardly ever.
_ONSET_VOWELS = frozenset("aeiou")


def _same_onset(token: str, candidate: str) -> bool:
    """Whether a typo keeps the word's first sound: a typo is a slip inside a word; a different first
    consonant is a different word ("সেগুন", teak, is not বেগুন; "suchi", a list, is not মুচি)."""
    return token[0] == candidate[0] or token[0] in _ONSET_VOWELS or candidate[0] in _ONSET_VOWELS


@dataclass(frozen=True)
class _Index:
    """The phrases of one kind, indexed: by first token, by typo-tolerant token, by consonants."""

    phrases: tuple[Phrase, ...]
    starting_with: dict[str, tuple[Phrase, ...]]
    vocabulary: Vocabulary
    skeletons: dict[str, tuple[Phrase, ...]]

    @classmethod
    def build(cls, phrases: tuple[Phrase, ...], base: _Index | None = None) -> _Index:
        """The index of `phrases`; on a base index, only the new phrases are indexed and the rest shared."""
        starting: dict[str, list[Phrase]] = defaultdict(list)
        by_skeleton: dict[str, list[Phrase]] = defaultdict(list)
        for phrase in phrases:
            starting[phrase.tokens[0]].append(phrase)
            if phrase.role == "unlisted":
                continue  # a guess by consonants never says "we don't list that" either
            shape = " ".join(skeleton(t) for t in phrase.tokens)
            if (len(phrase.tokens) > 1 and all(shape.split())) or len(shape) >= 4:
                by_skeleton[shape].append(phrase)
        vocabulary = Vocabulary((t for p in phrases for t in p.tokens), base.vocabulary if base else None)
        if base is None:
            return cls(
                phrases,
                {k: tuple(v) for k, v in starting.items()},
                vocabulary,
                {k: tuple(v) for k, v in by_skeleton.items()},
            )
        return cls(
            base.phrases + phrases,
            _merged(base.starting_with, starting),
            vocabulary,
            _merged(base.skeletons, by_skeleton),
        )


def _merged(
    base: dict[str, tuple[Phrase, ...]], more: dict[str, list[Phrase]]
) -> dict[str, tuple[Phrase, ...]]:
    if not more:
        return base
    merged = dict(base)
    for key, phrases in more.items():
        merged[key] = merged.get(key, ()) + tuple(phrases)
    return merged


@cache
def _base_index(kind: str) -> _Index:
    """The contracts' phrases of a kind, indexed once per process: a synonym change adds to it."""
    return _Index.build(_base_phrases(kind))


class Lexicon:
    """Everything a query is read against, for both kinds; immutable, rebuilt when synonyms change."""

    def __init__(self, synonyms: Iterable[SynonymSet] = ()) -> None:
        self.synonyms = tuple(synonyms)
        self.places = _places()
        self.place_by_slug = {p.slug: p for p in self.places}
        self.phrases: dict[str, tuple[Phrase, ...]] = {}
        self.starting_with: dict[str, dict[str, tuple[Phrase, ...]]] = {}
        self.vocabulary: dict[str, Vocabulary] = {}
        self.skeletons: dict[str, dict[str, tuple[Phrase, ...]]] = {}
        language = query_language()
        self.fillers = frozenset(t for words in _groups(language["fillers"]) for t in key_tokens(words))
        #: Question words as typed ("কত", "koto"): never part of a not-listed name.
        self.question_words = frozenset(normalize_text(w).lower() for w in language["fillers"]["questions"])
        # "পেটে খুব বিষ", "matha onek betha": how much, said between the words of a need
        self.degree_words = frozenset(normalize_text(w).lower() for w in language["fillers"]["degree"])
        # "মসজিদের কাছে হোটেল": what comes before a word of nearness is where, not what is asked for
        self.nearness_words = frozenset(normalize_text(w).lower() for w in language["fillers"]["nearness"])
        self.place_markers = frozenset(t for w in language["place_markers"]["words"] for t in key_tokens(w))
        self.verb_forms = _verb_forms(language["verbs"])
        self.letter_names = {k: v for k, v in language["latin_letters_in_bangla"].items() if len(k) == 1}
        self.units = frozenset(t for w in language["units"]["words"] for t in key_tokens(w))
        # numbers in words: Bangla ones by their spelling (বারো, twelve, shares ভাড়া's key), Latin by key
        numbers = language["units"]["numbers"]
        self.number_words = frozenset(t for w in numbers if not is_bangla(w) for t in key_tokens(w))
        self.bangla_numbers = frozenset(normalize_text(w) for w in numbers if is_bangla(w))
        self.filler_skeletons = frozenset(skeleton(f) for f in self.fillers if len(skeleton(f)) >= 3)
        self.context = frozenset(t for words in _groups(language["context"]) for t in key_tokens(words))
        self.requests = frozenset(t for w in language["requests"]["words"] for t in key_tokens(w))
        # Bangla words that say nothing, by their spelling: the listed ones, and every Bangla filler (কত,
        # how much, stays a question though its key is কাঠ's, wood)
        self.bangla_fillers = frozenset(
            normalize_text(w)
            for w in (*language["bangla_fillers"]["words"], *_groups(language["fillers"]))
            if is_bangla(w)
        )
        self.forms_of_address = frozenset(
            normalize_text(w) for w in language["fillers"]["politeness and address"] if is_bangla(w)
        )
        self.unlisted: dict[str, Unlisted] = not_listed()
        self.unlisted_written = {kind: _unlisted_written(kind) for kind in KINDS}
        self.unlisted_spellings = {kind: _unlisted_spellings(kind) for kind in KINDS}
        # Built here, not by the first query that asks (unlisted_spelt, unlisted_written): ~0.2 s that a
        # citizen's request paid after every start, and that the bench's profile counted as reading.
        _unlisted_bangla(), _unlisted_latin()
        for kind in KINDS:
            base = _base_index(kind)
            extra = _synonym_phrases(kind, self.synonyms)
            index = _Index.build(extra, base) if extra else base
            self.phrases[kind] = index.phrases
            self.starting_with[kind] = index.starting_with
            self.vocabulary[kind] = index.vocabulary
            self.skeletons[kind] = index.skeletons
        everything = self.phrases["provider"] + self.phrases["product"]
        # A verb form or filler that is a whole name or need on its own stays one: "khat" is a bed (খাট)
        # before it is "how much" (কত). Words inside longer phrases ("nite" of "rogi nite") do not count.
        whole = {p.tokens[0] for p in everything if len(p.tokens) == 1 and p.role not in ("part", "place")}
        self.named = frozenset(whole)
        self.verb_forms = frozenset(self.verb_forms - whole)
        self.fillers = frozenset(self.fillers - whole)
        self.unlisted_surfaces = _unlisted_surfaces()
        # what this search lists: a word the other lists (জুতা, the cobbler's) is not listed here
        self.listed_surfaces_of = {kind: _listed_bangla_of(kind) for kind in KINDS}
        self.listed_surfaces = frozenset().union(*self.listed_surfaces_of.values())
        self.listed_folded = frozenset(w.translate(FOLDED_VOWELS) for w in self.listed_surfaces)
        # A Bangla word is read as a listed word or place of its key only if it writes no more syllables
        # apart than their own spellings of that key do: "দাওয়াত খাইতে যাব" needs no dentist.
        self.syllables_listed = _most_syllables_apart(
            (
                *_listed_texts(),
                *(name for place in places() for name in place["names"]),
                *(word for synonym in self.synonyms for word in synonym.words),
            )
        )
        self.spelt_by = {kind: _spelt_by(kind) for kind in KINDS}
        self.spellings = {kind: _spellings(kind) for kind in KINDS}
        self.needs_by_spelling = {kind: _needs_by_spelling(kind) for kind in KINDS}
        self.bangla_keys = _bangla_keys() | _keys_of_bangla(w for s in self.synonyms for w in s.words)
        # Every word of a listed phrase of either search, by key: a word typed as one is that word.
        self.phrase_tokens = frozenset(
            t for phrases in self.phrases.values() for p in phrases if p.role != "unlisted" for t in p.tokens
        )
        # What a dialect ending rewrite or letter swap may land on: a listed word or a word of the query
        # language — never something not listed ("লইতাম" is a verb, not a lathe).
        self.known = frozenset(
            self.phrase_tokens | self.fillers | self.verb_forms | self.context | self.requests
        )
        speech = dialect()
        self.dialect_words = {normalize_text(k): normalize_text(v) for k, v in speech["words"].items()}
        # The same dialect words typed in Banglish ("haldi" is হলদি, turmeric; "gai" গাই, a cow): by key.
        # A key a listed or not-listed name already has stays that name's: "kamar" is কামার (not listed),
        # never কামের, the dialect's কাজের.
        self.dialect_by_key: dict[str, tuple[str, ...]] = {}
        named_keys = {t for kind in KINDS for t in self.vocabulary[kind].tokens}
        for word, standard in self.dialect_words.items():
            word_key = banglish_key(word).replace(" ", "")
            if (
                word_key
                and word_key not in named_keys
                and word_key != banglish_key(standard).replace(" ", "")
            ):
                self.dialect_by_key[word_key] = (*self.dialect_by_key.get(word_key, ()), standard)
        self.dialect_endings = sorted(
            (
                (normalize_text(k), normalize_text(v))
                for part in ("verb_endings", "noun_endings")
                for k, v in speech[part].items()
            ),
            key=lambda pair: -len(pair[0]),
        )
        self.letter_swaps = tuple(
            (normalize_text(a), normalize_text(b)) for a, b in speech["letter_alternations"]
        )

    def is_filler(self, token: str, *, latin: bool = False) -> bool:
        """A filler or verb form; typed on a phone keyboard without vowels ("lgbe", "dkr") too."""
        if token in self.fillers or token in self.verb_forms:
            return True
        # only a word typed without its vowels ("lgbe", "dkr"): "paneer" is cheese, not a filler's skeleton
        vowels = sum(ch in _VOWELS for ch in token)
        return latin and vowels <= 1 and skeleton(token) in self.filler_skeletons and token not in self.named

    def unlisted_spelling(self, surface: str, kind: str) -> str | None:
        """The not-listed thing a Bangla word is spelt exactly as, if it is spelt as nothing this search
        lists: "সার" (fertilizer) is not ষাঁড় (a bull), nor "ঘড়ি" (a watch) গাড়ি (a car), though their
        Banglish keys are one ("sar", "gari"); জুতা (shoes), the cobbler's word, is not listed as goods."""
        slug = self.unlisted_surfaces.get(surface)
        return slug if slug is not None and not self.lists_as(surface, slug, kind) else None

    def lists_as(self, surface: str, unlisted: str, kind: str) -> bool:
        """Whether a Bangla word is listed where a not-listed reading of it would answer: in this search,
        for what this search does not list (জুতা, the cobbler's word, is no goods here); in either, for
        what only the other does not list ("কলেজে", a mess by a college, is no college on the products
        page)."""
        if kind in self.unlisted[unlisted].kinds:
            return surface in self.listed_surfaces_of[kind]
        return surface in self.listed_surfaces

    def says_nothing(self, surface: str, key: str) -> bool:
        """A filler or verb form, by its key or (Bangla) its spelling; a Bangla word spelt as a listed
        word says something, whatever other word shares its key (ভাড়া, rent, is not বড়, big)."""
        if is_bangla(surface):
            if surface in self.bangla_fillers:
                return True
            if any(stem in self.forms_of_address for stem in written_stems(surface)):
                return True  # স্যারের (the sir's), ভাইয়ের: whose, never what (no স্যারের → সদর)
            if surface in self.listed_surfaces:
                return False
        return self.is_filler(key, latin=not is_bangla(surface))

    def is_number(self, surface: str, token: str) -> bool:
        if is_bangla(surface):
            return surface in self.bangla_numbers or token.isdigit()
        return token.isdigit() or token in self.number_words

    def is_quantity(self, token: str, *, after_number: bool) -> bool:
        """A number (in digits or words: "দুই"), a number with its unit glued on ("30ta", "২কেজি"), or a
        unit after a number."""
        if token.isdigit():
            return True
        digits = len(token) - len(token.lstrip("0123456789"))
        if digits and token[digits:] in self.units:
            return True
        return after_number and token in self.units

    def acronym_key(self, word: str) -> str | None:
        """A short Latin word read as letters, as Bangla writes acronyms: "ICU" → আইসিইউ's key."""
        letters = word.lower()
        if not (2 <= len(letters) <= 5 and letters.isascii() and letters.isalpha()):
            return None
        return banglish_key("".join(self.letter_names[ch] for ch in letters)).replace(" ", "") or None


def _groups(fillers: Mapping[str, Any]) -> Iterable[str]:
    for name, words in fillers.items():
        if not name.startswith("$"):
            yield from words


def _verb_forms(verbs: Mapping[str, Any]) -> frozenset[str]:
    """Banglish keys of root × ending: "কর"+"বো", "বানা"+"বো", "লাগা"+"তে" — and their typed forms."""
    forms: set[str] = set()
    for root in verbs["roots"]:  # bare roots are left out: "kar", "bas" would swallow "car", "bus"
        for ending in verbs["endings"]:
            if _is_sign(root[-1]) and _is_sign(ending[0]):
                continue  # two vowel signs in a row are no word ("দি" + "েন")
            key = banglish_key(root + ending).replace(" ", "")
            if key and len(key) >= 2:
                forms.add(key)
    return frozenset(forms)


def _is_sign(ch: str) -> bool:
    """A dependent vowel sign or hasanta (া ি ী ু ূ ৃ ে ৈ ো ৌ ্)."""
    return "\u09be" <= ch <= "\u09cd"


@cache
def _places() -> tuple[Place, ...]:
    return tuple(
        Place(
            slug=entry["slug"],
            kind=entry["kind"],
            upazila=entry["upazila"],
            lat=entry["lat"],
            lon=entry["lon"],
            radius_km=entry["radius_km"],
            bn=entry["bn"],
            en=entry["en"],
            level=entry.get("level", entry["kind"]),
        )
        for entry in places()
    )


@cache
def _base_phrases(kind: str) -> tuple[Phrase, ...]:
    """Phrases from the contracts (synonyms are added per Lexicon)."""
    phrases: set[Phrase] = set()
    part_owners: dict[str, set[str]] = defaultdict(set)
    for category in taxonomy().categories(kind).values():
        item_names = {name for pair in category.items for name in pair}
        for name in category.names():
            role = "item" if name in item_names else "name"
            for n, variant in enumerate(_name_variants(name)):
                tokens = key_tokens(variant)
                if tokens:  # the parts of a compound name ("দোকান" of "বাড়ি/অফিস/দোকান") name less
                    phrases |= _with_joined(tokens, category.slug, role if n == 0 else "part")
                    if len(tokens) > 1 and role == "name":
                        for token in tokens:
                            part_owners[token].add(category.slug)
    for slug, words in needs().get(kind, {}).items():
        for words_ in words:
            tokens = key_tokens(words_)
            if tokens and (len(tokens) > 1 or len(tokens[0]) >= 3):  # "na" (নোয়া) would catch "না"
                phrases |= _with_joined(tokens, slug, "need")  # (shorter ones: _needs_by_spelling)
    whole_names = {p.tokens[0]: p for p in phrases if len(p.tokens) == 1 and p.role in ("name", "item")}
    for token, owners in part_owners.items():
        if token in whole_names or len(token) < 3:
            continue  # a word that is a whole name already, or too short to mean anything alone
        for owner in owners:
            phrases.add(Phrase((token,), owner, "part", shared_by=len(owners)))
    for place in places():
        for name in place["names"]:
            tokens = key_tokens(name)
            if tokens:
                phrases |= _with_joined(tokens, place["slug"], "place")
    # What is not listed never takes a listed word's key: one word whose key is also a listed one
    # ("ঘড়ি" and গাড়ি are both "gari") is known by its Bangla spelling alone (Lexicon.unlisted_spelling).
    listed_words = {p.tokens[0] for p in phrases if len(p.tokens) == 1}
    for entry in not_listed().values():
        if kind in entry.kinds:
            for words_ in entry.phrases():
                tokens = key_tokens(words_)
                if tokens and not (len(tokens) == 1 and tokens[0] in listed_words):
                    phrases |= _with_joined(tokens, entry.slug, "unlisted")
    if kind == "product":  # (the spellings of unlisted phrases' listed words: _unlisted_spellings)
        for breed in livestock().breeds.values():
            for spelling in breed.spellings if breed.in_query else ():
                tokens = key_tokens(spelling)
                if tokens:
                    phrases |= _with_joined(tokens, breed.slug, "breed")
    return tuple(sorted(phrases, key=lambda p: (p.role, p.target, p.tokens)))


#: Case endings as keys (ফোনের "fanar", ফোনে "fane"): a listed word's key with one is still that word.
KEY_CASE_ENDINGS = ("dar", "ar", "ke", "te", "ra", "e", "gula", "ta", "ti")
#: Vowel signs written either way for one word (গাড়ী/গাড়ি, মুরগী/মুরগি).
FOLDED_VOWELS = str.maketrans({"ী": "ি", "ূ": "ু"})

#: Of a not-listed phrase of several words: at each position where the entry writes, in Bangla, a word
#: that is no listed word but has a listed word's key, the spellings the query must use there. A
#: two-word phrase's joined form (_with_joined), read from two words written apart, has the same.
Spellings = dict[tuple[str, tuple[str, ...]], dict[int, frozenset[str]]]


@cache
def _unlisted_written(kind: str) -> Spellings:
    """Every not-listed phrase of several words: at each position, the words the entry writes there
    (the ways it writes the phrase share its keys). A two-word phrase's joined form, read from two words
    written apart, has the same positions."""
    written: dict[tuple[str, tuple[str, ...]], dict[int, set[str]]] = {}
    for entry in not_listed().values():
        if kind in entry.kinds:
            for words_ in entry.phrases():
                tokens = key_tokens(words_)
                words = normalize_text(words_).lower().split()
                if len(tokens) >= 2 and len(words) == len(tokens):
                    at = written.setdefault((entry.slug, tokens), {})
                    for position, word in enumerate(words):
                        at.setdefault(position, set()).add(word)
    out: Spellings = {}
    for (slug, tokens), at in written.items():
        out[(slug, tokens)] = {k: frozenset(v) for k, v in at.items()}
        if len(tokens) == 2:
            out[(slug, ("".join(tokens),))] = out[(slug, tokens)]
    return out


@cache
def _unlisted_spellings(kind: str) -> Spellings:
    """A not-listed phrase is read only where the query writes such a word as the entry does: "ফোন
    সারাই" (phone repair, not listed) and "ফ্যান সারাই" (fan repair, an electrician's need) are both
    "fan sarai" by key. A position stays open when any way the entry writes the phrase has a listed
    word there, in another spelling or with a case ending (গাড়ী, গাড়ির)."""
    listed_words = {p.tokens[0] for p in _base_phrases(kind) if len(p.tokens) == 1 and p.role != "unlisted"}
    spellings: Spellings = {}
    for (slug, tokens), at in _unlisted_written(kind).items():
        if len(tokens) < 2:
            continue  # a joined form: guarded with its two words, below
        guarded = {
            position: words
            for position, words in at.items()
            if _a_listed_key(tokens[position], listed_words) and not any(_open(w) for w in words)
        }
        if guarded:
            spellings[(slug, tokens)] = guarded
            if len(tokens) == 2:
                spellings[(slug, ("".join(tokens),))] = guarded
    return spellings


def _a_listed_key(token: str, listed_words: set[str]) -> bool:
    return token in listed_words or any(
        token.endswith(ending) and token[: -len(ending)] in listed_words for ending in KEY_CASE_ENDINGS
    )


def _open(word: str) -> bool:
    """A word written as a listed word is (in another spelling, with a case ending): its key says
    what it is."""
    if not is_bangla(word):  # plurals and "-er" only: "care" is no "car" with an ending
        latin = _listed_latin_words()
        return word in latin or any(
            word.endswith(e) and word[: -len(e)] in latin for e in ("s", "es", "er", "r")
        )
    listed, standard = _listed_bangla_words(), _standard_words()
    return any(
        form.translate(FOLDED_VOWELS) in listed
        for stem in written_stems(word)
        for form in (stem, standard.get(stem, ""))
    )


@cache
def _bangla_keys() -> frozenset[str]:
    """The keys some Bangla word (or words written as one) of the contracts has: what a word typed in
    Bangla may be a misspelling of. "paddy" is English only, so পানি (water) is no misspelt "padi"."""
    texts = [variant for kind in KINDS for c in taxonomy().categories(kind).values() for name in c.names()
             for variant in _name_variants(name)]  # fmt: skip
    texts += [p for kind in KINDS for words in needs().get(kind, {}).values() for p in words]
    texts += [p for e in not_listed().values() for p in e.phrases()]
    texts += [name for place in places() for name in place["names"]]
    texts += [s for b in livestock().breeds.values() for s in b.spellings]
    return _keys_of_bangla(texts)


def _keys_of_bangla(texts: Iterable[str]) -> frozenset[str]:
    """The keys of the Bangla words of each text, and of a text all in Bangla written as one word."""
    keys: set[str] = set()
    for text in texts:
        words = normalize_text(text).split()
        bangla = [t for w in words if is_bangla(w) for t in key_tokens(w)]
        keys |= set(bangla)
        if bangla and all(is_bangla(w) for w in words):
            keys.add("".join(bangla))
    return frozenset(keys)


@cache
def _unlisted_bangla() -> dict[str, frozenset[str]]:
    """Per key, the Bangla words (and runs of them written as one) of what is not listed: a word typed
    in Bangla is read as something not listed only when written (nearly) so (unlisted_spelt)."""
    by: dict[str, set[str]] = defaultdict(set)
    for entry in not_listed().values():
        for phrase in entry.phrases():
            words = _bangla_words(phrase)
            for word in words:
                by[banglish_key(word).replace(" ", "")].add(word)
            if len(words) > 1 and len(words) == len(normalize_text(phrase).split()):
                by[banglish_key("".join(words)).replace(" ", "")].add("".join(words))
    return {key: frozenset(words) for key, words in by.items()}


@cache
def _unlisted_latin() -> dict[str, frozenset[str]]:
    """Per key, the Latin words (lower-cased) of what is not listed."""
    by: dict[str, set[str]] = defaultdict(set)
    for entry in not_listed().values():
        for phrase in entry.phrases():
            for word in _latin_words(phrase):
                by[banglish_key(word).replace(" ", "")].add(word)
    return {key: frozenset(words) for key, words in by.items()}


@lru_cache(maxsize=4096)  # bounded against hostile text
def unlisted_written(word: str, token: str) -> bool:
    """Whether a Latin word is written as (at most a letter off, an ending off) a Latin word of what is
    not listed whose key is the token: asked where a listed phrase has that key too — "buke" (বুকে, in
    the chest) and "book" are both "buk", and only "book" or "books" is a book."""
    spellings = _unlisted_latin().get(token, frozenset())
    return any(
        edit_distance(stem, written) <= 1
        for stem in written_stems(word.lower(), LATIN_NOUN_ENDINGS)
        for written in spellings
    )


@lru_cache(maxsize=4096)  # asked once per phrase sharing the token; bounded against hostile text
def unlisted_spelt(word: str, token: str) -> bool:
    """Whether a Bangla word is written as (at most a letter off) a Bangla word of what is not listed
    whose key is the token: ফিরিজ is a fridge misspelt; বুক (a chest) is no "book", ভাত (rice) no বোট."""
    spellings = _unlisted_bangla().get(token, frozenset())
    return any(
        edit_distance(_unjoined(stem), _unjoined(written)) <= 1
        for stem in written_stems(word)
        for written in spellings
    )


@cache
def _needs_by_spelling(kind: str) -> dict[str, frozenset[str]]:
    """One-word needs whose key is too short to be read by (আয়া, a nanny, is "a", as ও, "and", is;
    নোয়া "na", as না, "no"): their categories by the word as written (NFC; Latin lower-cased), the
    only way they are read."""
    by: dict[str, set[str]] = defaultdict(set)
    for slug, phrases in needs().get(kind, {}).items():
        for words in phrases:
            tokens = key_tokens(words)
            if len(tokens) == 1 and len(tokens[0]) < 3:
                by[normalize_text(words).lower()].add(slug)
    return {written: frozenset(slugs) for written, slugs in by.items()}


#: Per key that several categories list in different Bangla words, each category's spellings of it.
#: What is not listed is there too, its slug after this mark.
NOT_LISTED_SPELLING = "not listed: "
SpeltBy = dict[str, dict[str, frozenset[str]]]


@cache
def _spellings(kind: str) -> SpeltBy:
    """Per key, each category's Bangla words of that key (ী and ূ folded), every key: what a word typed
    in Bangla must be spelt as (or near) to be read as that category's word (reading._another_word)."""
    named = [(c.slug, name) for c in taxonomy().categories(kind).values() for name in c.names()]
    named += [(slug, words) for slug, phrases in needs().get(kind, {}).items() for words in phrases]
    return _by_key(named)


@cache
def _spelt_by(kind: str) -> SpeltBy:
    """The keys that several categories of a kind list as different Bangla words (ছাতা, an umbrella, a
    cobbler's; ছাঁটা, a trim, a barber's: both "chata"; কাশি, a cough, and খাসি, a goat; ব্যথা, a pain,
    and ভাতা, an allowance): per key, each category's spellings (ী and ূ folded) — and what is not
    listed, which spells words too: পানির (of water, "পানির জার") is no misspelt পনির (cheese)."""
    named = [(c.slug, name) for c in taxonomy().categories(kind).values() for name in c.names()]
    named += [(slug, words) for slug, phrases in needs().get(kind, {}).items() for words in phrases]
    named += [
        (NOT_LISTED_SPELLING + e.slug, name)
        for e in not_listed().values()
        if kind in e.kinds
        for name in e.names
    ]
    return {key: by for key, by in _by_key(named).items() if len(set(by.values())) > 1}


def _by_key(named: Iterable[tuple[str, str]]) -> SpeltBy:
    spellings: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for slug, text in named:
        for word in _bangla_words(text):
            spellings[banglish_key(word).replace(" ", "")][slug].add(word.translate(FOLDED_VOWELS))
    return {key: {slug: frozenset(words) for slug, words in by.items()} for key, by in spellings.items()}


def spelt_as(word: str, words: frozenset[str]) -> bool:
    """Whether a Bangla word is written as one of the words (its endings off too; ী and ূ folded)."""
    return any(stem in words for stem in written_stems(word.translate(FOLDED_VOWELS)))


def spelt_near(word: str, words: frozenset[str], endings: tuple[str, ...] | None = None) -> bool:
    """Whether a Bangla word (or it without one of the endings) is written within half its letters of
    one of the words (a conjunct's hasanta not counted): ব্যাথা and জর are a letter off ব্যথা and জ্বর,
    ইলেকট্রিশন four off ইলেকট্রিশিয়ান; বোরো, four letters, is four off ভাড়া, আটা two off অটো.
    Homophones are short words; a long word's spellings differ as it is transliterated."""
    for stem in written_stems(word.translate(FOLDED_VOWELS), endings):
        typed = _unjoined(stem)
        if any(letters_apart(typed, _unjoined(w)) <= max(1, len(typed) // 2) for w in words):
            return True
    return False


#: Bangla's dependent vowel signs (া ি ী ু ূ ৃ ে ৈ ো ৌ) and its consonants (ক … হ, ড় ঢ় য়, ৎ).
_VOWEL_SIGNS = frozenset("\u09be\u09bf\u09c0\u09c1\u09c2\u09c3\u09c7\u09c8\u09cb\u09cc")
_CONSONANTS = frozenset(chr(c) for c in range(0x0995, 0x09BA)) | frozenset("\u09dc\u09dd\u09df\u09ce")


@lru_cache(maxsize=16384)
def letters_apart(a: str, b: str) -> int:
    """Edits between two Bangla spellings, where a vowel sign written for a consonant (or the other
    way) counts two: a misspelt vowel is another vowel, a misspelt consonant another consonant, so
    শসা (a cucumber) is no শস্য (a grain), a letter apart by plain edits, while ব্যাথা is a letter
    off ব্যথা and জর off জ্বর."""
    return edit_distance(a, b, _written_for)


def _written_for(x: str, y: str) -> int:
    """Two for a vowel sign written for a consonant or a consonant for a vowel sign; one otherwise."""
    across = (x in _VOWEL_SIGNS and y in _CONSONANTS) or (x in _CONSONANTS and y in _VOWEL_SIGNS)
    return 2 if across else 1


def spelt_for(word: str, spellings: Mapping[str, frozenset[str]]) -> set[str]:
    """The categories (and what is not listed) that spell a word of this key as `word` is written
    (its endings off too), or, spelt as none of them, those whose spelling is nearest letter by
    letter, a conjunct's hasanta not counted: ব্যাথা is a misspelt ব্যথা (a pain), not ভাতা (an
    allowance); পানি is পানির (of water), not পনির (cheese); জর is as near জ্বর (a fever) as জার."""
    stems = written_stems(word.translate(FOLDED_VOWELS))
    exact = {slug for slug, words in spellings.items() if any(stem in words for stem in stems)}
    if exact:
        return exact
    apart = {
        slug: min(edit_distance(_unjoined(s), _unjoined(w)) for s in stems for w in words)
        for slug, words in spellings.items()
    }
    nearest = min(apart.values(), default=0)
    return {slug for slug, d in apart.items() if d == nearest}


def _unjoined(word: str) -> str:
    return word.replace("\u09cd", "")


@cache
def _standard_words() -> dict[str, str]:
    """Dialect and phone spellings of words (schemas/dialect.json `words`): মিস্তিরি is মিস্ত্রি."""
    return {normalize_text(k): normalize_text(v) for k, v in dialect()["words"].items()}


@cache
def _listed_texts() -> tuple[str, ...]:
    """What the directory lists, as written: names, needs and breeds."""
    texts = [name for kind in KINDS for c in taxonomy().categories(kind).values() for name in c.names()]
    texts += [p for kind in KINDS for words in needs().get(kind, {}).values() for p in words]
    texts += [s for b in livestock().breeds.values() for s in b.spellings]
    return tuple(texts)


@cache
def _listed_bangla_words() -> frozenset[str]:
    """Every Bangla word of what the directory lists (NFC, ী and ূ folded)."""
    return frozenset(w.translate(FOLDED_VOWELS) for text in _listed_texts() for w in _bangla_words(text))


@cache
def _listed_latin_words() -> frozenset[str]:
    """Every word in Latin letters of what the directory lists (lower-cased)."""
    return frozenset(w for text in _listed_texts() for w in _latin_words(text))


@cache
def _unlisted_surfaces() -> dict[str, str]:
    """The one-word Bangla names (NFC) of what is not listed and its one-word `script_names`, with the
    slug."""
    unlisted = {
        words[0]: e.slug
        for e in not_listed().values()
        for name in e.names
        if len(words := _bangla_words(name)) == 1
    }
    # names matched only as written, in either script (Latin lower-cased): "ঘড়ি", "সার", "vet"
    unlisted |= {
        normalize_text(name).lower(): e.slug
        for e in not_listed().values()
        for name in e.script_names
        if len(normalize_text(name).split()) == 1
    }
    return unlisted


@cache
def _listed_bangla_of(kind: str) -> frozenset[str]:
    """The Bangla words one search lists: its categories' names, its needs of one word (the words of
    a longer need may be verbs, "নিতে" of "হাসপাতালে নিতে", which say nothing alone), breeds."""
    listed = {
        w
        for category in taxonomy().categories(kind).values()
        for name in category.names()
        for w in _bangla_words(name)
    }
    listed |= {
        w
        for words in needs().get(kind, {}).values()
        for p in words
        if len(ws := _bangla_words(p)) == 1
        for w in ws
    }
    if kind == "product":
        listed |= {w for b in livestock().breeds.values() for s in b.spellings for w in _bangla_words(s)}
    return frozenset(listed)


def _bangla_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s/,&()\-]+", normalize_text(text)) if w and is_bangla(w)]


def _latin_words(text: str) -> list[str]:
    """The runs of Latin letters in a text, lower-cased."""
    return [w for w in re.split(r"[^a-z]+", normalize_text(text).lower()) if w]


def _synonym_phrases(kind: str, synonyms: tuple[SynonymSet, ...]) -> tuple[Phrase, ...]:
    """The phrases the clerks' synonym sets add to the contracts' (none a base phrase already is)."""
    extra: set[Phrase] = set()
    for synonym in synonyms:
        if synonym.category and synonym.kind != kind:
            continue  # a category synonym belongs to its kind; a place is a place for both
        target, role = (synonym.category, "synonym") if synonym.category else (synonym.upazila, "place")
        for word in synonym.words:
            tokens = key_tokens(word)
            if tokens and target:
                extra |= _with_joined(tokens, target, role)
    extra -= set(_base_phrases(kind))
    return tuple(sorted(extra, key=lambda p: (p.target, p.tokens)))


def _name_variants(name: str) -> list[str]:
    """A name and, for compound names ("মধু ও মসলা", "বাড়ি/অফিস ভাড়া"), each of its parts."""
    parts = [p for p in NAME_SEPARATORS.split(name) if p.strip()]
    return [name, *parts] if len(parts) > 1 else [name]


def _with_joined(tokens: tuple[str, ...], target: str, role: str) -> set[Phrase]:
    """The phrase, and for several words the same written as one ("রাজমিস্ত্রি", "desimurgi")."""
    out = {Phrase(tokens, target, role)}
    if len(tokens) > 1:
        out.add(Phrase(("".join(tokens),), target, role))
    return out
