"""Query understanding: what a free-text query asks for — categories, a place, a blood group, and which
of its words must still match text. Pure: the engine's evidence about words comes in as an argument.

How people actually type is handled by kind, never by listing queries (reading.py finds the runs of
words that name something; this module weighs them):
- a category's name, alias or item, in any script, with typos, endings, written apart or together;
- a need instead of the trade ("লাইট লাগাতে হবে", "khat banabo"): the needs lexicon, and the engine's
  evidence — which categories' providers use the word in their services or names — count for a
  category, so words of the providers' own vocabulary work without being listed anywhere;
- a place ("করিমগঞ্জের", "near tarail"): the search moves there (search/relaxation/plan.py);
- fillers and verb forms ("চাই", "নিতে", "banabo"): they never have to match, and are reported;
- a blood group anywhere ("AB+", "বি পজিটিভ");
- what the directory does not list ("দর্জি", "গরুর ডাক্তার", "স্কুল"): said so (`not_listed`), with no
  category claimed, unless something the directory does list is named outside those words
  ("স্কুলের জন্য রিকশা" is a rickshaw).

Precision rules: a typo reading of a word is dropped when the word itself occurs in our data ("দাড়ি"
is a barber's word, not a misspelt "বাড়ি"); a reading by consonants alone never names a category on its
own; a word that only says where or when ("বাসা", "day") counts a third of a name, so it decides only
when nothing stronger does; names outweigh needs, needs outweigh services evidence; on a tie the last
word wins (Bangla puts the head noun last: "মিষ্টি দই" is a yogurt).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from portal.bangla.romanize import banglish_key
from portal.contracts import Unlisted, livestock, not_listed, taxonomy
from search.understanding.lexicon import Lexicon, Place, key_tokens
from search.understanding.reading import DETACHED_GENITIVES, QueryReading, Span, Word, read_query

#: A word seen in the engine counts for a category by its share of that word's providers — never as
#: much as a need the lexicon knows (0.8), whose word the data merely happens to use elsewhere.
EVIDENCE_WEIGHT, EVIDENCE_MIN_SHARE = 0.7, 0.25
#: A word found (almost) only in one category's documents is as good as naming it.
CONFIDENT_SHARE = 0.9
#: Below this, nothing in the query names a category well enough to filter on it.
MIN_CATEGORY_SCORE = 0.15
#: Roles whose words are explained by the category itself; other words must still match text.
NAMING_ROLES = ("name", "synonym", "part")
#: The product category a breed belongs to.
LIVESTOCK = "livestock"
#: A single word that only says where, when or what kind of work counts this share of a name.
CONTEXT_WEIGHT = 0.3
#: What is not listed is read through a typo only in words this long: a short word (a name, "উদ্দিন")
#: is one typo from too much.
UNLISTED_TYPO_MIN_KEY = 8
#: A reading in a clause before the one that says what is needed counts this share.
BACKGROUND_WEIGHT = 0.25


@dataclass(frozen=True)
class WordEvidence:
    """What the engine knows about one word: how many live documents use it, per category."""

    hits: int
    by_category: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RequiredWord:
    """A word the results should contain; dropped, in that order, when nothing matches otherwise."""

    surface: str
    keys: tuple[str, ...]  # Banglish key forms to match: as typed, stem, variants, an item's other names
    hits: int | None = None  # live documents using it anywhere, when the engine was asked
    animals: tuple[str, ...] = ()  # livestock the word names (গরু: cow, bull): their listings match it
    head: bool = False  # the last item named, what the rest qualifies ("হাঁসের ডিম" asks for eggs)
    exact: bool = False  # an item the lexicon read without a typo: its own names match, never look-alikes
    # typed as a listed Bangla word: looked for as written, and without its ending (পাবনার: পাবনা), not by key
    spellings: tuple[str, ...] = ()

    @property
    def matchable(self) -> bool:
        return self.hits != 0


@dataclass(frozen=True)
class Understanding:
    text: str
    key_tokens: tuple[str, ...]
    kind: str = "provider"
    categories: tuple[str, ...] = ()
    named: bool = False  # a name, item, need or synonym chose the categories, not only the engine's evidence
    confident: bool = False  # named, or a word the engine finds (almost) only in these categories
    required: tuple[RequiredWord, ...] = ()
    ignored: tuple[str, ...] = ()  # fillers, verb forms, words beyond the reading limits
    place: Place | None = None
    blood_group: str | None = None
    items: tuple[str, ...] = ()  # key tokens of the item names matched (title boosts)
    breed: str | None = None  # a livestock breed the words name: products filter on it and its crosses
    not_listed: Unlisted | None = None  # something the directory does not list, and nothing it does
    live_weight_kg: float | None = None  # an animal's weight the words give: nearest weights first
    price_bdt: float | None = None  # a price the words give: nearest prices first


def asks_nothing(understanding: Understanding | None) -> bool:
    """Words were typed, and none of them asks for anything this search knows: then nothing in the
    answer matches them, and it must not say it does (exact_matches 0)."""
    u = understanding
    if u is None or not u.key_tokens:
        return False
    asked = (
        u.categories,
        u.required,
        u.place,
        u.blood_group,
        u.breed,
        u.not_listed,
        u.live_weight_kg,
        u.price_bdt,
    )
    return not any(asked)


def _readings(reading: QueryReading, vetoed: set[int]) -> dict[str, tuple[float, list[Span]]]:
    """Per category, its best non-overlapping spans and their score (as the old greedy credit did)."""
    request = _request_clause(reading)
    credited: dict[str, set[int]] = defaultdict(set)
    chosen: dict[str, list[Span]] = defaultdict(list)
    score: dict[str, float] = defaultdict(float)
    for span in reading.spans:
        if span.typos and set(span.positions) & vetoed:
            continue
        target = span.phrase.target
        new = set(span.positions) - credited[target]
        if not new:
            continue
        weight = CONTEXT_WEIGHT if span.end - span.start == 1 and span.start in reading.context else 1.0
        if _background(reading, span, request):
            weight *= BACKGROUND_WEIGHT
        score[target] += weight * span.gain * len(new) / (span.end - span.start)
        credited[target] |= new
        chosen[target].append(span)
    return {t: (score[t], chosen[t]) for t in score}


def decide(reading: QueryReading, evidence: Mapping[str, WordEvidence] | None = None) -> Understanding:
    """Choose the categories a reading names and the words that must still match text."""
    evidence = evidence or {}
    words = reading.words
    real_words = {i for i in reading.needs_evidence() if evidence.get(words[i].surface, _NONE).hits > 0}
    place, place_positions = reading.place, reading.place_positions
    known = real_words | {
        p for s in reading.spans if s.typos == 0 and s.phrase.role != "place" for p in s.positions
    }
    if not reading.breed_typo:  # "garol" is a sheep's breed, not a misspelt Tarail
        known |= reading.breed_positions
    if place is None and reading.place_guess and not (reading.guess_positions & (known | _rivals(reading))):
        place, place_positions = reading.place_guess, reading.guess_positions
        reading = replace(
            reading, spans=tuple(s for s in reading.spans if not set(s.positions) & place_positions)
        )
    if reading.breed_typo and reading.breed_positions & real_words:  # a real word, not a misspelt breed
        reading = replace(reading, breed=None, breed_positions=frozenset(), breed_typo=False)
    unlisted = _unlisted_reading(reading, real_words)
    reading = replace(reading, spans=tuple(s for s in reading.spans if s.phrase.role != "unlisted"))
    per_category = _readings(reading, real_words)
    # A reading of one word by consonants alone adds to a category something else supports, never names
    # one alone ("dorji" is not দরজা, a door); two words read so ("শু রিপেয়ার", shoe repair) may.
    scores = {c: s for c, (s, spans) in per_category.items() if not all(_guess(x) for x in spans)}
    evidence_positions: dict[str, set[int]] = defaultdict(set)
    evidence_share: dict[str, float] = defaultdict(float)
    evidence_score: dict[str, float] = defaultdict(float)
    request = _request_clause(reading)
    for i in reading.needs_evidence():
        if i in place_positions:
            continue
        found = evidence.get(words[i].surface)
        if not found or not found.hits:
            continue
        # a word of context (ঘরের, of the house) is found in many a trade's services ("ঘরের রং"), and a
        # word outside the clause that asks says why or where: each weighs as its reading would
        weight = EVIDENCE_WEIGHT * (CONTEXT_WEIGHT if i in reading.context else 1.0)
        if _in_background(reading, i, request):
            weight *= BACKGROUND_WEIGHT
        for category, n in found.by_category.items():
            share = n / found.hits
            if share >= EVIDENCE_MIN_SHARE:
                evidence_score[category] += weight * share
                if i not in reading.context:
                    evidence_positions[category].add(i)
                    evidence_share[category] = max(evidence_share[category], share)
    for category, score in evidence_score.items():
        # Words of one services phrase ("মাসিক চুক্তিতে") are one piece of evidence, never more than a need
        # or a name: "masik chuktite ekta auto" is still an auto.
        scores[category] = scores.get(category, 0.0) + min(score, EVIDENCE_WEIGHT)
    if reading.blood_group:  # a blood group in the query asks for a donor as plainly as "রক্তদাতা"
        scores["blood_donor"] = scores.get("blood_donor", 0.0) + 1.0
    if reading.breed:  # a breed is livestock, however the rest of the query reads
        scores[LIVESTOCK] = scores.get(LIVESTOCK, 0.0) + 1.0
    if unlisted is not None:  # only what is named, more strongly, outside the not-listed words still counts
        scores = _outweighing(unlisted, reading, real_words)
        if not scores:
            return _not_listed(reading, unlisted)
    categories = _winners(scores, per_category, evidence_positions)
    if categories and _only_context(categories, reading, per_category, evidence_positions):
        categories = ()
    if categories and _evidence_beside_unknown_words(
        categories, reading, per_category, evidence, real_words - place_positions, place_positions
    ):
        categories = ()
    explained: set[int] = set(reading.fillers) | set(place_positions) | set(reading.breed_positions)
    items: set[str] = set()
    item_keys: dict[int, set[str]] = defaultdict(set)
    exact_items: set[int] = set()
    for span in reading.spans:  # any reading that names a chosen category explains its words
        vetoed = span.typos and set(span.positions) & real_words
        if span.phrase.target in categories and span.phrase.role in NAMING_ROLES and not vetoed:
            explained |= set(span.positions)
    for category in categories:
        for span in per_category.get(category, (0.0, []))[1]:
            if span.phrase.role == "item":
                items.add(" ".join(span.phrase.tokens))
                for p in span.positions:
                    item_keys[p] |= _item_names(category, span.phrase.tokens, reading.kind)
                    if not span.typos:
                        exact_items.add(p)
    # The item a buyer names is what they want, not only its category: its words rank and filter
    # ("মধু" lists honey before chilli) even where they also name the category ("মধু ও মসলা").
    explained -= set(item_keys)
    head = max(item_keys, default=None)
    required = tuple(
        RequiredWord(
            words[i].surface,
            tuple(sorted(_own_forms(words[i]) | item_keys.get(i, set()))),
            hits=evidence[words[i].surface].hits if words[i].surface in evidence else None,
            animals=_animals(words[i]) if reading.kind == "product" else (),
            head=i == head and len(item_keys) > 1,
            exact=i in exact_items,
            spellings=_spellings_of(words[i]),
        )
        for i in range(len(words))
        if i not in explained
    )
    ignored = tuple(words[i].surface for i in sorted(reading.fillers)) + reading.overflow
    # A weight is an animal's live weight only in the cattle market ("২ কেজি মধু" is a jar size).
    weighed = reading.quantities.live_weight_kg is not None and (
        LIVESTOCK in categories or any(w.animals for w in required)
    )
    ignored += tuple(
        said for measure, said in reading.quantities.said if measure == "weight_kg" and not weighed
    )
    named = any(
        span.phrase.target in categories and not (span.typos and set(span.positions) & real_words)
        for span in reading.spans
    ) or bool(reading.breed and LIVESTOCK in categories)
    return Understanding(
        text=reading.text,
        key_tokens=tuple(w.key for w in words),
        kind=reading.kind,
        categories=categories,
        named=named,
        confident=named or any(evidence_share[c] >= CONFIDENT_SHARE for c in categories),
        required=required,
        ignored=ignored,
        place=place,
        blood_group=reading.blood_group,
        items=tuple(sorted(items)),
        breed=reading.breed,
        live_weight_kg=reading.quantities.live_weight_kg if weighed else None,
        price_bdt=reading.quantities.price_bdt,
    )


_NONE = WordEvidence(0)


def _background(reading: QueryReading, span: Span, request: int) -> bool:
    """A reading outside the clause that asks: before it always ("আম্মার সিজার কাল, … রক্ত লাগবো"); after
    it too when a word of asking marks that clause ("O+ রক্ত লাগবে, সদর হাসপাতালে রোগী ভর্তি")."""
    return _in_background(reading, span.end - 1, request)


def _in_background(reading: QueryReading, position: int, request: int) -> bool:
    if not reading.clauses:
        return False
    clause = reading.clauses[position]
    return clause < request or (reading.asking_clause == request and clause != request)


def _request_clause(reading: QueryReading) -> int:
    """The clause of a sentence that says what is needed: the last with a word of asking ("আম্মার সিজার
    কাল, হাসপাতালে দুই ব্যাগ রক্ত লাগবো" asks for blood), else the last that names anything; earlier
    clauses say why, where or when."""
    if not reading.clauses:
        return 0
    named = [reading.clauses[s.end - 1] for s in reading.spans if s.phrase.role not in ("place", "unlisted")]
    if reading.asking_clause is not None and reading.asking_clause in named:
        return reading.asking_clause
    return max(named, default=0)


def _only_context(
    categories: tuple[str, ...],
    reading: QueryReading,
    per_category: Mapping[str, tuple[float, list[Span]]],
    evidence_positions: Mapping[str, set[int]],
) -> bool:
    """Whether the categories rest on lone words of context alone ("বাসায়", at home) while other words
    of the query say what is wanted and name nothing known: then the words of where decide nothing
    ("বাসায় পেপার দিয়া যাইবো এমন হকার" is no house to let). "বাসা" alone is still a house to let."""
    support = {
        p
        for c in categories
        for s in per_category.get(c, (0.0, []))[1]
        if not (s.end - s.start == 1 and s.start in reading.context)
        for p in s.positions
    } | {p for c in categories for p in evidence_positions.get(c, ())}
    if support or reading.breed or reading.blood_group:
        return False
    said = (
        set(range(len(reading.words)))
        - set(reading.fillers)
        - set(reading.context)
        - set(reading.place_positions)
    )
    return bool(said)


def _evidence_beside_unknown_words(
    categories: tuple[str, ...],
    reading: QueryReading,
    per_category: Mapping[str, tuple[float, list[Span]]],
    evidence: Mapping[str, WordEvidence],
    known: set[int],
    place_positions: frozenset[int],
) -> bool:
    """Whether the categories rest on the engine's evidence alone while as many words of the query are
    unknown to the directory (no listing has them) as known: the query is about something else, and
    its known words were found by a key they share with another word ("persian cat er baccha": "cat"
    is কাঠ's key, and wooden crafts are no kitten) — a guess, not a match. Known words that outnumber
    the unknown ones still decide ("বুড়া মায়েরে দেহাশোনা করনের লাইগা…": care for an old mother)."""
    if reading.blood_group or reading.breed:
        return False
    if any(not _guess(span) for c in categories for span in per_category.get(c, (0.0, []))[1]):
        return False  # a reading of the lexicon names one of them
    asked = [
        i
        for i in reading.needs_evidence()
        if i not in place_positions and reading.words[i].surface in evidence
    ]
    return len(asked) - len(known) >= len(known)


def _rivals(reading: QueryReading) -> set[int]:
    """Words another reading claims, however misspelt: "salun" is one typo from the union Salua and
    from salon — a misspelt trade is what a search is for, a misspelt place only narrows it."""
    return {p for s in reading.spans if s.phrase.role != "place" for p in s.positions}


def _guess(span: Span) -> bool:
    """One word read by its consonants, or a part of a name read through a typo ("গানের" is a song's,
    not a misspelt "donor"): too weak to name a category alone."""
    return span.end - span.start == 1 and (span.skeleton or (bool(span.typos) and span.phrase.role == "part"))


def _unlisted_reading(reading: QueryReading, real_words: set[int]) -> Span | None:
    """The longest reading of the words as something the directory does not list (exact before typos);
    a typo reading does not count on a word our data uses or a listed name also reads ("chul" is hair,
    not a misspelt "school"; "rajmistiri" a mason, not a car mechanic), nor in a short word."""
    listed = {p for s in reading.spans if s.phrase.role != "unlisted" and not s.skeleton for p in s.positions}
    found = [
        s
        for s in reading.spans
        if s.phrase.role == "unlisted"
        and not (
            s.typos
            and (
                set(s.positions) & (real_words | listed)
                or min(len(reading.words[p].key) for p in s.positions) < UNLISTED_TYPO_MIN_KEY
            )
        )
    ]
    asked = [s for s in found if not _landmark(reading, s)]
    # the longest, and of as long ones an emergency (a spark in the switchboard is a fire, not a fan)
    return max(
        asked or found,
        key=lambda s: (s.end - s.start, not_listed()[s.phrase.target].emergency, -s.typos, s.gain),
        default=None,
    )


#: English words of nearness come before the place they name ("hotel near school"); Bangla's and
#: Banglish's after it ("স্কুলের কাছে", "school er kache").
NEAR_PREPOSITIONS = frozenset({"near", "around", "beside"})


def _landmark(reading: QueryReading, span: Span) -> bool:
    """Whether the span names where, not what: a word of nearness follows it (its genitive written apart
    between) — "মসজিদের কাছে হোটেল" asks for a hotel, near a mosque — or, in English, comes before it."""
    words = reading.words
    before = span.start - 1
    if before in reading.nearness and words[before].surface.lower() in NEAR_PREPOSITIONS:
        return True
    after = span.end
    if after < len(words) and words[after].surface.lower() in DETACHED_GENITIVES:
        after += 1
    return after in reading.nearness and words[after].surface.lower() not in NEAR_PREPOSITIONS


def _outweighing(unlisted: Span, reading: QueryReading, real_words: set[int]) -> dict[str, float]:
    """The listed categories named beside something not listed, by readings of their own outside it —
    exact, not a lone word of context — that weigh more than it does, or as much and later in the
    sentence (the head noun comes last): "স্কুলের জন্য রিকশা" is a rickshaw, "ধানের জন্য ইউরিয়া সার" is
    fertilizer, "ফ্যান ঘোরে না, সুইচে আগুন" an electrician. A blood group or a breed named outside counts
    as a name; a name that covers the not-listed words whole wins ("ইজি বাইক" is a ride, not a bike)."""
    inside = set(unlisted.positions)
    outside = replace(
        reading,
        spans=tuple(
            s
            for s in reading.spans
            if not s.typos
            and not (s.end - s.start == 1 and s.start in reading.context)
            and not set(s.positions) <= inside
        ),
    )
    found = _readings(outside, real_words)
    weight = BACKGROUND_WEIGHT if _background(reading, unlisted, _request_clause(reading)) else 1.0
    bar = unlisted.gain * weight
    last = max(inside)
    heads = _head_keys(unlisted.phrase.target)
    kept: dict[str, float] = {}
    for category, (score, spans) in found.items():
        if all(reading.words[p].key in heads for s in spans for p in s.positions):
            continue  # its head said again: "ছাগলের পেট ফুলেছে, ওষুধ দেব" is the goat's medicine, a vet's
        covers = any(set(s.positions) > inside for s in spans)
        later = any(s.end - 1 > last for s in spans)
        if covers or score > bar + 1e-9 or (score >= bar - 1e-9 and later):
            kept[category] = score
    if reading.blood_group:
        kept["blood_donor"] = kept.get("blood_donor", 0.0) + 1.0
    if reading.breed and min(reading.breed_positions, default=-1) > last:
        kept[LIVESTOCK] = kept.get(LIVESTOCK, 0.0) + 1.0
    return kept


@cache
def _head_keys(slug: str) -> frozenset[str]:
    """The keys of the one-word heads of a composition not listed (a vet's ওষুধ, টিকা, ডাক্তার)."""
    return frozenset(banglish_key(h) for h in not_listed()[slug].heads if len(h.split()) == 1)


def _not_listed(reading: QueryReading, span: Span) -> Understanding:
    """Nothing listed is asked for: say what was, claim no category, require nothing."""
    words = reading.words
    return Understanding(
        text=reading.text,
        key_tokens=tuple(w.key for w in words),
        kind=reading.kind,
        ignored=tuple(words[i].surface for i in sorted(reading.fillers)) + reading.overflow,
        place=reading.place,
        blood_group=reading.blood_group,
        not_listed=not_listed()[span.phrase.target],
    )


def _winners(
    scores: Mapping[str, float],
    per_category: Mapping[str, tuple[float, list[Span]]],
    evidence_positions: Mapping[str, set[int]],
) -> tuple[str, ...]:
    if not scores:
        return ()
    best = max(scores.values())
    if best < MIN_CATEGORY_SCORE:
        return ()
    winners = [c for c, s in scores.items() if s >= best - 1e-9]
    if len(winners) > 1:  # a tie: the category named by the last word leads ("মিষ্টি দই")

        def last(category: str) -> int:
            spans = per_category.get(category, (0.0, []))[1]
            return max([s.end - 1 for s in spans] + list(evidence_positions.get(category, ())), default=-1)

        latest = max(last(c) for c in winners)
        winners = [c for c in winners if last(c) == latest] or winners
    return tuple(sorted(winners))


def _own_forms(word: Word) -> set[str]:
    """The key forms a word is looked for by in the listings, besides its spelling: none for a word
    typed in Bangla as a listed word, whose spelling is matched as it is (ধান, paddy, is not দান, a gift,
    in "আল্লাহর দান এন্টারপ্রাইজ", though both are "dan"); a misspelt or Banglish word's keys."""
    return set() if word.listed else {form for form, _ in word.forms}


def _spellings_of(word: Word) -> tuple[str, ...]:
    """A listed Bangla word's stems as written, looked for besides the word itself (it has no keys)."""
    return word.looked_for_as[1:]


@lru_cache(maxsize=4096)
def _item_names(category: str, tokens: tuple[str, ...], kind: str) -> frozenset[str]:
    """Keys of every name of the item the tokens name (ইলিশ also matches "Hilsa" in a title)."""
    wanted = "".join(tokens)
    found = taxonomy().categories(kind).get(category)
    for pair in found.items if found else ():
        keys = {" ".join(key_tokens(name)) for name in pair}
        if wanted in {k.replace(" ", "") for k in keys}:
            return frozenset(k for k in keys | {k.replace(" ", "") for k in keys} if k)
    return frozenset()


def _animals(word: Word) -> tuple[str, ...]:
    """The animals a word names by any of its forms ("গরুর" → cow, bull), from schemas/livestock.json;
    a listed Bangla word by its spelling (কাশি, a cough, is no খাসি, a goat, though both are "kasi")."""
    if word.listed:
        written = livestock().animal_words
        return next((written[s] for s in word.looked_for_as if s in written), ())
    known = _animal_keys()
    return next((known[form] for form, _ in word.forms if form in known), ())


@cache
def _animal_keys() -> dict[str, tuple[str, ...]]:
    return {
        key.replace(" ", ""): animals
        for word, animals in livestock().animal_words.items()
        if (key := banglish_key(word))
    }


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon()


def understand(
    query: str,
    kind: str,
    evidence: Mapping[str, WordEvidence] | None = None,
    lexicon: Lexicon | None = None,
) -> Understanding:
    """Read and decide in one call (tests, benchmarks, and callers without engine evidence)."""
    return decide(read_query(query, kind, lexicon or default_lexicon()), evidence)
