"""Reading a query: its words as Banglish keys, and the runs of words that name something. Pure.

A word is tried as typed, without its case ending or plural ("করিমগঞ্জের", "statione", "doctors"),
and in the spellings Bangla script gives English loanwords ("এম্বুলেন্চ" said without its final
vowel, এ- for অ্যা-) or Latin gives Bangla acronyms ("ICU" = আইসিইউ). Runs of words are matched
against the lexicon's phrases exactly, with an ending, written apart or together, or with typos that
grow with word length. Every candidate reading is kept, per target; choosing among them needs the
engine's evidence about the words no phrase explains (see understanding.py).

Cost is bounded: at most MAX_WORDS words of at most MAX_QUERY_CHARS characters are read; the rest is
reported as ignored. Each word costs a few dictionary lookups (lexicon.Vocabulary), so a long query of
random words is as cheap as a short one per word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from portal.bangla.normalize import is_bangla, normalize_text
from portal.bangla.romanize import banglish_key, edit_distance, max_typos
from search.understanding.endings import BANGLA_NOUN_ENDINGS, LATIN_NOUN_ENDINGS, written_stems
from search.understanding.lexicon import (
    FOLDED_VOWELS,
    ROLE_WEIGHTS,
    Lexicon,
    Phrase,
    Place,
    skeleton,
    spelt_as,
    spelt_for,
    spelt_near,
    syllables_apart,
    unlisted_spelt,
    unlisted_written,
)
from search.understanding.quantities import Quantities, extract_quantities

MAX_QUERY_CHARS = 200
MAX_WORDS = 20
TYPO_COST, ENDING_COST, VARIANT_COST = 0.3, 0.05, 0.1
#: Reading a dialect word as its standard word costs a little, like an ending.
DIALECT_COST = 0.05
#: A reading by consonants alone ("শু রিপেয়ার" = "shoe repair") counts like a two-typo match, and only
#: where no other reading exists.
SKELETON_COST = 0.6

#: Verb endings, so a verb no root list knows still leads to its noun: সাজাতে → সাজ, বানানো → বান. A stem
#: found so is never read as something not listed ("সারাতে", to mend, is no সার, fertilizer). The
#: spoken causative keeps its া before ই: কাটাইতে, কাটাইবো, কাটাইবার, কাটাইয়া are কাটা-তে, -বো, -র,
#: -য়ে, so "মাটি কাটাইতে" is the need মাটি কাটা; and its verbal noun keeps it before নো: কাটানোর is
#: কাটা-নোর, not কাঠ (wood, a carpenter's).
BANGLA_VERB_ENDINGS = (
    "ানোর", "ানো", "াতে", "াবো", "াব", "াইতে", "বো", "বে", "ইতে", "ইবো", "ইবে", "ইবার", "ইয়া", "নোর", "নো",
)  # fmt: skip
BANGLA_ENDINGS = BANGLA_NOUN_ENDINGS + BANGLA_VERB_ENDINGS
LATIN_VERB_ENDINGS = ("anor", "ano", "ate", "abo", "aite", "bo", "be", "ite", "ibo", "ibe", "ibar", "iya")
#: What has happened or is happening: a consonant stem and these, read as its verbal noun (the stem and
#: া) where it completes a phrase of several words: "সাপে কাটছে" (a snake bit) is the need সাপে কাটা,
#: "sape katse" too, and the dialect's progressive ("রক্ত পড়তাছে", bleeding). Never the bare stem
#: (কাটছে is no কাঠ, wood), a vowel's stem (গেছে is no গো, a cow), nor a word alone ("ধান পাকছে", the
#: paddy ripened, asks for no পাখা, a fan).
BANGLA_FINITE_ENDINGS = ("তেছে", "তেছি", "তাছে", "তাছি", "ইছে", "ইছি", "ছিলো", "ছিল", "ছেন", "ছে", "ছি", "সে")
LATIN_FINITE_ENDINGS = ("teche", "techi", "tache", "tachi", "tese", "chhe", "che", "chi", "ise", "se", "si")
LATIN_ENDINGS = LATIN_NOUN_ENDINGS + LATIN_VERB_ENDINGS
#: The genitive ending written as a word of its own, which a phrase of several words reads past: "goru
#: er doctor" is "gorur doctor" (a vet, which the directory does not list), "দাঁত এর ডাক্তার" a dentist.
DETACHED_GENITIVES = frozenset({"er", "এর"})
#: Between clauses of a sentence: "আম্মার সিজার কাল, হাসপাতালে রক্ত লাগবো" says why, then what is needed.
CLAUSE_BREAK = re.compile(r"[,;।॥!?\n]+")
#: Between words: whitespace and punctuation; Bangla letters' signs are not \w in Python, so list them out.
WORD_BREAK = re.compile(r"[\s,.;:!?()\[\]{}\"'`/\\|।॥*&#@%=<>~^_+\-]+")
BANGLA_CONSONANT_END = re.compile(r"[\u0995-\u09b9\u09dc-\u09df]\u09bc?$")
#: A blood group in any written form: "AB+", "o+ve", "O (-)", "a pos", "ab positive", "0+ve" (a zero for O),
#: "বি নেগেটিভ", "এবি+". The letter must stand alone, and a sign or its word must follow it.
BLOOD_GROUP = re.compile(
    r"(?<![a-z0-9\u0980-\u09ff])(ab|a|b|o|0|এবি|এ|বি|ও)\s*\(?\s*"
    r"(\+|-|−|–|positive|negative|pos|neg|pozitive|পজিটিভ|পজেটিভ|পজিটিব|নেগেটিভ|নেগেটিব)\s*(?:ve\b)?\)?"
    r"(?![a-z0-9])",
    re.IGNORECASE,
)
BLOOD_WORDS = {"ab": "AB", "a": "A", "b": "B", "o": "O", "0": "O", "এবি": "AB", "এ": "A", "বি": "B", "ও": "O"}
NEGATIVE = ("-", "−", "–", "negative", "neg", "নেগেটিভ", "নেগেটিব")


@dataclass(frozen=True)
class Word:
    surface: str  # as typed, normalized
    key: str  # Banglish key, one token
    forms: tuple[tuple[str, float], ...]  # (key form, cost): as typed, without an ending, variants
    typo_forms: tuple[tuple[str, float], ...] = ()  # the forms typos may be read into (never stems)
    says_nothing: bool = False  # a dialect word whose standard word carries nothing (লাইগা = জন্য)
    # forms found only by taking a verb ending off, or an ending off a dialect word's standard word
    # ("বউরে" rewritten as বুকে is no "book"): never read as something not listed
    derived_stems: frozenset[str] = frozenset()
    syllables_apart: int = 0  # the fewest syllables written apart (lexicon.syllables_apart) of the word
    # and its stems, as typed or as its standard word: syllables its key may not show
    verbal_nouns: frozenset[str] = frozenset()  # forms only a finite verb's noun gives: never a phrase alone
    listed: bool = False  # typed in Bangla as a word the directory lists: its spelling says what it is
    written: tuple[str, ...] = ()  # typed in Bangla: as typed, and as its standard words (dialect.json)

    @property
    def looked_for_as(self) -> tuple[str, ...]:
        """What the listings are searched for: the word as typed, and, typed as a listed Bangla word
        (then never by its key), also without its ending ("পাবনার" finds "পাবনা ষাঁড়")."""
        return tuple(written_stems(self.surface)) if self.listed else (self.surface,)


@dataclass(frozen=True)
class Span:
    """A run of words [start, end) that a phrase names, and how much that reading is worth."""

    start: int
    end: int
    phrase: Phrase
    gain: float
    typos: int
    skeleton: bool = False  # read by consonants alone: weak evidence that never names a category alone

    @property
    def positions(self) -> range:
        return range(self.start, self.end)


@dataclass(frozen=True)
class QueryReading:
    kind: str  # provider | product
    text: str  # normalized query text, blood group removed
    words: tuple[Word, ...]
    spans: tuple[Span, ...]  # every candidate reading, best first
    place: Place | None = None
    place_positions: frozenset[int] = frozenset()
    blood_group: str | None = None
    overflow: tuple[str, ...] = ()  # words beyond the reading limits, ignored
    fillers: frozenset[int] = field(default_factory=frozenset)  # words that name nothing
    # A place read through a typo ("Taral"): taken only if the engine has the word nowhere ("garol" is
    # a sheep, not a misspelt তাড়াইল), so it waits for the evidence (understanding.decide).
    place_guess: Place | None = None
    guess_positions: frozenset[int] = frozenset()
    breed: str | None = None  # a livestock breed the words name (products only)
    breed_positions: frozenset[int] = frozenset()
    breed_typo: bool = False  # read through a typo: a word our data uses is no breed (understanding.decide)
    context: frozenset[int] = frozenset()  # words that only say where, when or what kind of work
    quantities: Quantities = field(default_factory=Quantities)  # a weight or price the words give (products)
    clauses: tuple[int, ...] = ()  # per word, which clause of the sentence it is in ("…কাল, …লাগবো")
    asking_clause: int | None = None  # the last clause with a word of asking ("লাগবো", "need")
    nearness: frozenset[int] = frozenset()  # words of nearness ("কাছে", "near"): what precedes is where

    def exactly_named(self) -> frozenset[int]:
        """Positions some phrase explains without a typo."""
        return frozenset(p for s in self.spans if s.typos == 0 for p in s.positions)

    def needs_evidence(self) -> tuple[int, ...]:
        """Words the engine should tell us about: not a place, filler or exact name (typos included,
        so a real word of our data is never "corrected" into a name it only resembles)."""
        exact_breed = frozenset() if self.breed_typo else self.breed_positions
        named = self.exactly_named() | self.place_positions | self.fillers | exact_breed
        return tuple(i for i in range(len(self.words)) if i not in named)


def extract_blood_group(text: str) -> tuple[str, str | None]:
    match = BLOOD_GROUP.search(text)
    if not match:
        return text, None
    letters = BLOOD_WORDS[match.group(1).lower()]
    sign = "-" if match.group(2).lower() in NEGATIVE else "+"
    return (text[: match.start()] + " " + text[match.end() :]).strip(), letters + sign


def _stems(surface: str, *, verbs: bool = True) -> list[str]:
    """Keys of the word without each ending it may carry (case and plural endings; verb endings too
    unless `verbs` is False)."""
    lower = surface.lower()
    bangla = is_bangla(lower)
    endings: tuple[str, ...]
    if verbs:
        endings = BANGLA_ENDINGS if bangla else LATIN_ENDINGS
    else:
        endings = BANGLA_NOUN_ENDINGS if bangla else LATIN_NOUN_ENDINGS
    out = []
    for ending in endings:
        if lower.endswith(ending) and len(lower) - len(ending) >= 2:
            stem = lower[: -len(ending)] + ("y" if ending == "ies" else "")
            key = banglish_key(stem).replace(" ", "")
            if key:
                out.append(key)
    return out


def _verbal_nouns(lower: str, bangla: bool) -> list[str]:
    """Keys of the verbal noun a finite verb is made on (কাটছে → কাটা, katse → kata)."""
    endings, vowel = (BANGLA_FINITE_ENDINGS, "া") if bangla else (LATIN_FINITE_ENDINGS, "a")
    out = []
    for stem in written_stems(lower, endings)[1:]:
        if not stem.endswith(vowel):  # a consonant takes the vowel; a stem ending in another does not
            if not (BANGLA_CONSONANT_END.search(stem) if bangla else stem[-1] not in "aeiouy"):
                continue  # গেছে is no গো (a cow), gese no "gea"
            stem += vowel
        key = banglish_key(stem).replace(" ", "")
        if key:
            out.append(key)
    return out


def _word(surface: str, lexicon: Lexicon) -> Word | None:
    key = banglish_key(surface).replace(" ", "")
    if not key:
        return None
    variants: dict[str, float] = {key: 0.0}
    if is_bangla(surface):
        if BANGLA_CONSONANT_END.search(surface) and key.endswith("a") and len(key) > 3:
            variants.setdefault(key[:-1], VARIANT_COST)  # a loanword said without its final vowel
        if surface.startswith("এ") and key.startswith("e"):  # এম্বুলেন্স = অ্যাম্বুলেন্স
            for form, cost in list(variants.items()):
                variants.setdefault("a" + form[1:], cost + VARIANT_COST)
    else:
        acronym = lexicon.acronym_key(surface)
        if acronym:
            variants.setdefault(acronym, VARIANT_COST)
        if re.search(r"c(?!h)", surface.lower()):  # phone Banglish types চ as "c": "muci", "kicu"
            with_ch = banglish_key(re.sub(r"c(?!h)", "ch", surface.lower())).replace(" ", "")
            variants.setdefault(with_ch, VARIANT_COST)
    forms = dict(variants)
    for stem in _stems(surface):  # exact only: an ending never widens typo tolerance
        forms.setdefault(stem, ENDING_COST)
    verbal_nouns = frozenset(_verbal_nouns(surface.lower(), is_bangla(surface))) - set(forms)
    for noun in verbal_nouns:
        forms[noun] = ENDING_COST
    derived_stems = frozenset(set(forms) - set(variants) - set(_stems(surface, verbs=False)))
    says_nothing = False
    fewest = 0  # syllables apart: Banglish writes none
    written: list[str] = []
    if is_bangla(surface):  # the dialect as people write it: "কাডাইতাম" is কাটাতে, "এহন" এখন
        standards = _standard_forms(surface, lexicon)
        written = [surface, *standards]
        fewest = min(syllables_apart(stem) for w in written for stem in written_stems(w, BANGLA_ENDINGS))
        for standard in standards:
            standard_key = banglish_key(standard).replace(" ", "")
            says_nothing |= not standard_key or lexicon.says_nothing(standard, standard_key)
            if standard_key:
                forms.setdefault(standard_key, DIALECT_COST)
                for stem in _stems(standard):
                    if stem not in forms:  # two steps from what was typed: never something not listed
                        forms[stem] = DIALECT_COST + ENDING_COST
                        derived_stems |= {stem}
    else:  # and typed in Banglish: only what it may name, never a filler's silence ("haldi" is হলুদ)
        for standard in lexicon.dialect_by_key.get(key, ()):
            forms.setdefault(banglish_key(standard).replace(" ", ""), DIALECT_COST)
    own = _own_keys(surface, lexicon)
    if own:  # a listed word is itself, not a look-alike: ভাড়া (rent) no misspelt ভেড়া (a sheep)
        forms = {form: cost for form, cost in forms.items() if form in own | {key}}
        variants = {}
    elif not is_bangla(surface) and key in lexicon.phrase_tokens:
        variants = {}  # a word a phrase of either search has is no typo: "betha" (a pain) is no "bera"
    return Word(
        surface,
        key,
        tuple(forms.items()),
        tuple(variants.items()),
        says_nothing,
        derived_stems,
        fewest,
        verbal_nouns,
        bool(own),
        tuple(written),
    )


def _own_keys(surface: str, lexicon: Lexicon) -> set[str]:
    """The keys of a Bangla word spelt as a word the directory lists (as typed or without an ending):
    with its key as typed, the only forms it is read as, never through a typo. বাল্ব (a bulb) is no
    বোয়াল (a fish) by its shortened key, nor ভাড়া (rent) a sheep (ভেড়া) misspelt; a word listed
    nowhere keeps every form."""
    if not is_bangla(surface):
        return set()
    return {
        banglish_key(stem).replace(" ", "")
        for stem in written_stems(surface)
        if stem in lexicon.listed_surfaces or stem.translate(FOLDED_VOWELS) in lexicon.listed_folded
    }


def _another_word(word: Word, token: str, phrase: Phrase, lexicon: Lexicon, kind: str) -> bool:
    """Whether the word, though it has the token's key, is another word than the phrase's: it writes
    more syllables apart than any listed spelling of the key (_more_syllables); typed in Bangla, it is
    not written as the phrase's own Bangla word of the key — exactly, for a word the directory lists
    itself; within half its letters (spelt_near), for any other — (বোরো, the rice season, is no ভাড়া,
    rent); or it is written as another category's word of that key and not as the phrase's own ("ছাতা",
    an umbrella, is the cobbler's, not the barber's ছাঁটা), or, written as none, nearer another's
    (ব্যাথা is a pain's misspelling, not an allowance's)."""
    if phrase.role == "unlisted":  # what is not listed is read as its entry writes it (_spelled_as_written)
        return False
    if _more_syllables(word, token, lexicon):
        return True
    written = lexicon.spellings[kind].get(token, {}).get(phrase.target, frozenset())
    derived = token in word.verbal_nouns  # made by rule: কাটতেছে → কাটা
    if written and is_bangla(word.surface) and not derived:
        if word.listed and not spelt_as(word.surface, written):
            return True
        if not word.listed and not any(
            spelt_near(w, written, BANGLA_ENDINGS) for w in word.written or (word.surface,)
        ):
            return True
    spellings = lexicon.spelt_by[kind].get(token)
    if not spellings or phrase.target not in spellings or not is_bangla(word.surface):
        return False
    return phrase.target not in spelt_for(word.surface, spellings)


def _more_syllables(word: Word, token: str, lexicon: Lexicon) -> bool:
    """Whether the word writes more syllables apart than any listed spelling of the token's key does: a
    different word that only shares its key ("দাওয়াত" is no "দাঁত")."""
    listed = lexicon.syllables_listed.get(token)
    return listed is not None and word.syllables_apart > listed


def _standard_forms(surface: str, lexicon: Lexicon) -> list[str]:
    """The standard words a dialect word may be (schemas/dialect.json): its entry in the word list; else
    its dialect ending replaced (the longest), or one letter swapped (ড/ট, ই/এ …) — kept only if the
    result is a word the lexicon knows. A word already known as written is never rewritten."""
    if surface in lexicon.dialect_words:
        return [lexicon.dialect_words[surface]]
    if _known(surface, lexicon):
        return []
    candidates = []
    for dialect_ending, standard_ending in lexicon.dialect_endings:
        if surface.endswith(dialect_ending) and len(surface) > len(dialect_ending):
            stem = surface[: -len(dialect_ending)]
            candidates.append(lexicon.dialect_words.get(stem, stem) + standard_ending)
            break
    # A dialect word with a standard ending: "আলমিরার পাল্লা" is আলমারির (a cupboard's) door
    for ending in BANGLA_NOUN_ENDINGS:
        stem = surface[: -len(ending)]
        if surface.endswith(ending) and stem in lexicon.dialect_words and lexicon.dialect_words[stem]:
            candidates.append(lexicon.dialect_words[stem] + ending)
            break
    # A vowel swapped on a word as typed is too weak a sign ("উদ্দিন" is a name, not উদ্দেন): only a
    # consonant swap (কাড → কাঠ), or any swap on a word whose dialect ending was already rewritten.
    swapped = [*_letter_swaps(surface, lexicon, vowels=False)]
    swapped += [w for c in candidates for w in _letter_swaps(c, lexicon, vowels=True)]
    return [c for c in dict.fromkeys(candidates + swapped) if c != surface and _known(c, lexicon)]


def _letter_swaps(word: str, lexicon: Lexicon, *, vowels: bool) -> Iterator[str]:
    """The word with one letter swapped for its standard one, at each place it occurs."""
    for typed, standard in lexicon.letter_swaps:
        if not typed or (not vowels and _is_vowel(typed)):
            continue
        at = word.find(typed)
        while at != -1:
            yield word[:at] + standard + word[at + len(typed) :]
            at = word.find(typed, at + 1)


def _is_vowel(letter: str) -> bool:
    """A vowel letter or sign (অ–ঔ, া–ৌ)."""
    return all("\u0985" <= c <= "\u0994" or "\u09be" <= c <= "\u09cc" for c in letter)


def _known(word: str, lexicon: Lexicon) -> bool:
    key = banglish_key(word).replace(" ", "")
    return key in lexicon.known or any(stem in lexicon.known for stem in _stems(word))


@lru_cache(maxsize=20_000)  # bounded: query words are new strings all day (issue 21)
def _typos(a: str, b: str) -> int | None:
    if a == b:
        return 0
    allowed = min(max_typos(a), max_typos(b))
    if allowed == 0 or abs(len(a) - len(b)) > allowed:
        return None
    distance = edit_distance(a, b)
    return distance if distance <= allowed else None


def _token_cost(word: Word, token: str, *, typos_ok: bool) -> tuple[float, int] | None:
    """(cost, typos) of reading `word` as the phrase token, or None."""
    best: tuple[float, int] | None = None
    for form, cost in word.forms:
        typos = (
            _typos(form, token)
            if typos_ok and (form, cost) in word.typo_forms
            else (0 if form == token else None)
        )
        if typos is not None:
            total = cost + TYPO_COST * typos
            if best is None or total < best[0]:
                best = (total, typos)
    return best


def _typos_allowed(phrase: Phrase, word: Word) -> bool:
    """Typos on a name from four letters on (max_typos); on a part of a name from five, on a need from
    seven: weaker evidence must look more like what it is read as."""
    least = {"part": 5, "need": 7}.get(phrase.role, 0)
    return len(word.key) >= least


def _spans_at(i: int, words: tuple[Word, ...], lexicon: Lexicon, kind: str) -> list[Span]:
    starting = lexicon.starting_with[kind]
    first = words[i]
    candidates: dict[str, tuple[float, int]] = {}
    for form, cost in first.forms:
        if form in starting and (form not in candidates or cost < candidates[form][0]):
            candidates[form] = (cost, 0)
    typed_in_bangla = is_bangla(first.surface)
    for form, form_cost in first.typo_forms:
        for token, typos in lexicon.vocabulary[kind].near(form).items():
            if typed_in_bangla and token not in lexicon.bangla_keys:
                continue  # a Bangla word misspelt is another Bangla word: পানি (water) is no "paddy"
            cost = form_cost + TYPO_COST * typos
            if typos and token in starting and (token not in candidates or cost < candidates[token][0]):
                candidates[token] = (cost, typos)
    spans = []
    for token, (cost, typos) in candidates.items():
        for phrase in starting[token]:
            if typos and not _typos_allowed(phrase, first):
                continue
            if _another_word(first, token, phrase, lexicon, kind):
                continue
            if len(phrase.tokens) == 1 and token in first.verbal_nouns:
                continue  # "ধান পাকছে" (the paddy ripened) asks for no পাখা (a fan)
            if phrase.role == "unlisted" and typed_in_bangla and not unlisted_spelt(first.surface, token):
                continue  # what is not listed is named in Bangla as its entry writes it, or not at all
            if (
                phrase.role == "unlisted"
                and not typed_in_bangla
                and token in lexicon.phrase_tokens
                and not unlisted_written(first.surface, token)
            ):
                continue  # a key a listed phrase has too: "buke" (in the chest) is no "book"
            if phrase.role == "unlisted" and (
                _through_a_derived_stem(phrase, words, i)
                or (len(phrase.tokens) > 1 and not _spelled_as_written(phrase, words, i, lexicon, kind))
            ):
                continue
            total_cost, total_typos, end = cost, typos, i + 1
            for rest in phrase.tokens[1:]:
                if end + 1 < len(words) and words[end].surface.lower() in DETACHED_GENITIVES:
                    end += 1  # "goru er doctor": the genitive written apart, between the phrase's words
                elif (
                    end + 1 < len(words)
                    and phrase.role == "need"
                    and words[end].surface.lower() in lexicon.degree_words
                ):
                    end += 1  # "পেটে খুব বিষ": how much it hurts, between the words of a need
                if end >= len(words):
                    break
                step = _token_cost(words[end], rest, typos_ok=_typos_allowed(phrase, words[end]))
                if step is None or _another_word(words[end], rest, phrase, lexicon, kind):
                    break
                total_cost, total_typos, end = total_cost + step[0], total_typos + step[1], end + 1
            else:
                n = len(phrase.tokens)
                gain = n * phrase.weight - total_cost
                if gain > 0:
                    spans.append(Span(i, end, phrase, gain, total_typos))
    if i + 1 < len(words):  # written apart: "easy bike", "লাল শাক", "রং মিস্ত্রী"
        first_key, second_key = words[i].key, words[i + 1].key
        for token, typos in lexicon.vocabulary[kind].near(first_key + second_key).items():
            if typos and phrase_roles(starting.get(token, ())) <= {"need", "part"}:
                continue
            if typos and typed_in_bangla and token not in lexicon.bangla_keys:
                continue
            if typos:  # each word must look like its half: "বাসা বদল" is not "বাসাভাড়া"
                split = _split_typos(first_key, second_key, token)
                if split is None:
                    continue
                typos = split
            joined = words[i].surface + words[i + 1].surface
            for phrase in starting.get(token, ()):
                if phrase.role == "unlisted" and not _spelled_as_written(phrase, words, i, lexicon, kind):
                    continue
                if phrase.role == "unlisted" and typed_in_bangla and not unlisted_spelt(joined, token):
                    continue  # "ভাইয়ের দোকান" (a brother's shop) is no বইয়ের দোকান (a bookshop)
                if len(phrase.tokens) == 1 and (typos == 0 or phrase.role in ("name", "item", "place")):
                    gain = 2 * phrase.weight - TYPO_COST * typos
                    if gain > 0:
                        spans.append(Span(i, i + 2, phrase, gain, typos))
    return spans


def _spelled_as_written(phrase: Phrase, words: tuple[Word, ...], i: int, lexicon: Lexicon, kind: str) -> bool:
    """Whether the query spells, as the not-listed entry does, each word of the phrase whose key a
    listed word shares (lexicon._unlisted_spellings): "ফ্যান সারাই" is no "ফোন সারাই"."""
    guarded = lexicon.unlisted_spellings[kind].get((phrase.target, phrase.tokens), {})
    return all(
        i + k < len(words) and _spelled(words[i + k].surface, spellings) for k, spellings in guarded.items()
    )


def _spelled(surface: str, spellings: frozenset[str]) -> bool:
    """The word as one of the spellings, or one of them with a case ending (ফোনের, phoner)."""
    return any(stem in spellings for stem in written_stems(surface.lower()))


def _written_with(span: Span, i: int, word: Word, lexicon: Lexicon, kind: str) -> bool:
    """Whether the not-listed entry writes its phrase with this very word where the span reads it."""
    written = lexicon.unlisted_written[kind].get((span.phrase.target, span.phrase.tokens), {})
    return _spelled(word.surface, written.get(i - span.start, frozenset()))


def _through_a_derived_stem(phrase: Phrase, words: tuple[Word, ...], i: int) -> bool:
    """Whether a word of the phrase would be read only through a derived stem: a verb ending taken off
    ("বসানোর মিস্ত্রি" installs, it is no বাস মিস্ত্রি, a bus mechanic) or a dialect word's standard word's."""
    return any(
        i + k < len(words) and token in words[i + k].derived_stems for k, token in enumerate(phrase.tokens)
    )


def phrase_roles(phrases: tuple[Phrase, ...]) -> set[str]:
    return {p.role for p in phrases}


def _split_typos(first: str, second: str, name: str) -> int | None:
    """Typos of two words read as one name split somewhere, each half within its own word's allowance."""
    best = None
    for k in range(1, len(name)):
        a, b = edit_distance(first, name[:k]), edit_distance(second, name[k:])
        if a <= max_typos(first) and b <= max_typos(second) and (best is None or a + b < best):
            best = a + b
    return best


def _skeleton_spans(words: tuple[Word, ...], spans: list[Span], lexicon: Lexicon, kind: str) -> list[Span]:
    """Readings by consonants alone, for runs of one or two words no other reading touches."""
    touched = {p for s in spans for p in s.positions}
    found = []
    for i in range(len(words)):
        for n in (2, 1):
            run = range(i, i + n)
            if i + n > len(words) or touched & set(run):
                continue
            shape = " ".join(skeleton(words[p].key) for p in run)
            for phrase in lexicon.skeletons[kind].get(shape, ()):
                if len(phrase.tokens) == n:
                    gain = n * phrase.weight - SKELETON_COST * n
                    if gain > 0:
                        found.append(Span(i, i + n, phrase, gain, typos=2, skeleton=True))
    return found


def read_query(query: str, kind: str, lexicon: Lexicon) -> QueryReading:
    """Every reading of a query's words; deciding among them is understanding.decide()."""
    text = normalize_text(query)
    blood_group = None
    quantities = Quantities()
    if kind == "provider":
        text, blood_group = extract_blood_group(text)
    else:
        text, quantities = extract_quantities(text)
    said = [
        (w, n)
        for n, clause in enumerate(CLAUSE_BREAK.split(text[:MAX_QUERY_CHARS]))
        for w in WORD_BREAK.split(clause)
        if w
    ]
    overflow = tuple(w for w, _ in said[MAX_WORDS:]) + tuple(
        w for w in WORD_BREAK.split(text[MAX_QUERY_CHARS:]) if w
    )
    read = [
        (word, n) for word, n in ((_word(s, lexicon), n) for s, n in said[:MAX_WORDS]) if word is not None
    ]
    words = tuple(word for word, _ in read)
    clauses = tuple(n for _, n in read)
    spans: list[Span] = []
    for i in range(len(words)):
        spans.extend(_spans_at(i, words, lexicon, kind))
    breed, breed_positions, breed_typo = _breed(words, spans)
    spans += _skeleton_spans(words, spans, lexicon, kind)
    spans, spelled = _spelling_decides(words, spans, lexicon, kind)  # "বই" is a book, not a misspelt ভাই
    spans.sort(key=lambda s: (-s.gain / (s.end - s.start), -(s.end - s.start), s.start))
    place, place_positions = _place(words, spans, lexicon, typos=False)
    guess, guess_positions = (None, frozenset()) if place else _place(words, spans, lexicon, typos=True)
    if place_positions & breed_positions:
        breed, breed_positions, breed_typo = None, frozenset(), False
    # A phrase of several words keeps its words from being fillers ("কামারের দোকান"), but a not-listed
    # verdict empties the answer, so it never rests on a question word ("lok koto nibo", how much will
    # the man charge, is no "lock kata").
    asked = {i for i, w in enumerate(words) if normalize_text(w.surface).lower() in lexicon.question_words}
    spans = [s for s in spans if not (s.phrase.role == "unlisted" and asked & set(s.positions))]
    in_multiword = {p for s in spans if s.end - s.start > 1 and s.typos == 0 for p in s.positions}
    in_multiword |= _items_before_their_name(spans)
    fillers = frozenset(
        i
        for i, w in enumerate(words)
        if i not in place_positions
        and i not in breed_positions
        and i not in in_multiword
        and i not in spelled
        and (
            lexicon.says_nothing(w.surface, w.key)
            or w.says_nothing
            or lexicon.is_number(w.surface, w.key)
            or lexicon.is_quantity(
                w.key, after_number=i > 0 and lexicon.is_number(words[i - 1].surface, words[i - 1].key)
            )
        )
    )
    if guess_positions & fillers:  # a word that says nothing is no misspelt place ("স্যারের" no সদর)
        guess, guess_positions = None, frozenset()
    category_spans = tuple(
        s
        for s in spans
        if s.phrase.role not in ("place", "breed") and not (set(s.positions) & (place_positions | fillers))
    )
    context = frozenset(i for i, w in enumerate(words) if any(f in lexicon.context for f, _ in w.forms))
    asking = [clauses[i] for i, w in enumerate(words) if w.key in lexicon.requests]
    nearness = frozenset(i for i, w in enumerate(words) if w.surface.lower() in lexicon.nearness_words)
    return QueryReading(
        kind, text, words, category_spans, place, place_positions, blood_group, overflow, fillers, guess,
        guess_positions, breed, breed_positions, breed_typo, context, quantities, clauses,
        max(asking) if asking else None, nearness,
    )  # fmt: skip


def _items_before_their_name(spans: list[Span]) -> set[int]:
    """Words that name an item right before the name of its category: "কই মাছ" is the fish (climbing
    perch), never "where" — a question word only where no category name follows it ("মাছ কই পাবো")."""
    names = {(s.start, s.phrase.target) for s in spans if s.phrase.role == "name" and s.typos == 0}
    return {
        s.start
        for s in spans
        if s.phrase.role == "item"
        and s.typos == 0
        and s.end - s.start == 1
        and (s.end, s.phrase.target) in names
    }


def _spelling_decides(
    words: tuple[Word, ...], spans: list[Span], lexicon: Lexicon, kind: str
) -> tuple[list[Span], frozenset[int]]:
    """A word's exact spelling tells what Banglish keys cannot: spelt as something not listed and
    nothing listed, it is read only as that ("সার" is fertilizer, not ষাঁড় "sar", a bull; "vet" is not
    বেত), or as a longer not-listed phrase written with that very word ("ফোন সারাই" is phone repair);
    spelt as a listed Bangla word, it is not read alone as something unlisted ("গাড়ি" is a car, not
    ঘড়ি "gari"); spelt as a need too short to be read by its key, it is that need ("আয়া", a nanny)."""
    out = spans
    spelled: set[int] = set()
    needed = lexicon.needs_by_spelling[kind]
    for i, word in enumerate(words):
        stems = written_stems(word.surface) if is_bangla(word.surface) else [word.surface.lower()]
        slug = next((found for s in stems if (found := lexicon.unlisted_spelling(s, kind))), None)
        if slug is not None:  # whatever the kind searched: it is not listed, and it is this
            # a longer listed phrase stays ("ইজি বাইক" is a ride); another not-listed one does not
            # ("ঘড়ি মেরামত" is a watch repairer's, not গাড়ি মেরামত's)
            out = [
                s
                for s in out
                if i not in s.positions
                or (
                    s.end - s.start > 1
                    and (s.phrase.role != "unlisted" or _written_with(s, i, word, lexicon, kind))
                )
            ]
            out.append(Span(i, i + 1, Phrase((word.key,), slug, "unlisted"), 1.0, typos=0))
            spelled.add(i)
        elif any(s in lexicon.listed_surfaces for s in stems):
            out = [s for s in out if not (s.phrase.role == "unlisted" and s.positions == range(i, i + 1))]
        for slug in next((needed[s] for s in stems if s in needed), ()):
            out.append(Span(i, i + 1, Phrase((word.key,), slug, "need"), ROLE_WEIGHTS["need"], typos=0))
            spelled.add(i)
    return out, frozenset(spelled)


#: A breed read through a typo must still look like one: at least this many letters in its key
#: (a five-letter key is one typo from too many words: শীতল "sital" is not the goat breed বিটল "bital").
BREED_TYPO_MIN_KEY = 6


def _breed(words: tuple[Word, ...], spans: list[Span]) -> tuple[str | None, frozenset[int], bool]:
    """The breed the words name best (the longest reading, then the one without typos), or None;
    and whether it was read through a typo.

    Skeleton readings are never breeds: a filter on the wrong breed hides every right animal."""
    found = [
        s
        for s in spans
        if s.phrase.role == "breed"
        and (not s.typos or all(len(words[p].key) >= BREED_TYPO_MIN_KEY for p in s.positions))
    ]
    if not found:
        return None, frozenset(), False
    best = max(found, key=lambda s: (s.end - s.start, -s.typos, s.gain))
    return best.phrase.target, frozenset(best.positions), bool(best.typos)


def _place(
    words: tuple[Word, ...], spans: list[Span], lexicon: Lexicon, *, typos: bool
) -> tuple[Place | None, frozenset[int]]:
    """The place named exactly (or, `typos`, through a typo), with the marker words around it ("in",
    "near", "উপজেলা", "ইউনিয়নের"). The longest name wins: "কুলিয়ারচর বাজারে" is the market, not
    the upazila its first word also names (its case ending costs the longer reading a little)."""
    named = [
        span
        for span in spans
        if span.phrase.role == "place"
        and span.phrase.target in lexicon.place_by_slug
        and bool(span.typos) == typos
        # A typo'd place must still look like one: at least five letters, and an upazila's name: a
        # district has a hundred unions, and ordinary words lie one typo from their names ("korbo" from
        # Kargaon, "route" from Rauti, "shukna" from Sukhia).
        and not (
            span.typos
            and (
                len(words[span.start].key) < 5 or lexicon.place_by_slug[span.phrase.target].level != "upazila"
            )
        )
    ]
    if not named:
        return None, frozenset()
    span = min(named, key=lambda s: s.start - s.end)  # the longest; among equals, the best read
    positions = set(span.positions)
    for beside in (span.start - 1, span.end):
        if 0 <= beside < len(words) and any(f in lexicon.place_markers for f, _ in words[beside].forms):
            positions.add(beside)
    return lexicon.place_by_slug[span.phrase.target], frozenset(positions)
