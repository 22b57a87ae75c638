"""Realistic synonym sets, as many as a district's clerks could add: the fixture for measuring what
synonyms cost search (lexicon rebuild time and memory) and for loading a stack with them.

    python bench/synonym_sets.py --sets 500                   # print a summary, write bench/results/synonym-sets-500.jsonl
    python bench/synonym_sets.py --sets 500 --fill 20                     # the worst case the limits allow
    python bench/synonym_sets.py --sets 500 --post http://127.0.0.1:8081 --key demo-clerk-key

Each set is what a clerk types after reading the search report: a trade's sub-services and local words
("ফ্যান মিস্ত্রি", "fan mistri"), goods as the market calls them ("দেশি মুরগি", "deshi murgi"), places by
their markets, ghats and stations ("bhoirob bazar") — in Bangla and in Banglish, with the misspellings
people make (vowels swapped, letters doubled or dropped). Every set passes the service's own checks:
no word already names something else (portal.synonyms.conflicts), and no two sets share a word, so
`--post` loads all of them (given SYNONYM_MAX_SETS ≥ --sets). Deterministic for a seed.

`realistic_synonym_sets(500)` gives the same sets in process, e.g. `Lexicon(realistic_synonym_sets(500))`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from portal.bangla.romanize import banglish_key, romanize
from portal.contracts import needs, taxonomy
from portal.synonyms import SynonymSet, conflicts, synonym_set

#: Words clerks put beside a trade, a good or a place: (Bangla, Banglish).
PROVIDER_WORDS = [
    ("মিস্ত্রি", "mistri"), ("ভাই", "bhai"), ("সার্ভিস", "service"), ("ওয়ালা", "wala"), ("কাজ", "kaj"),
    ("দোকান", "dokan"), ("হোম সার্ভিস", "home service"), ("সেন্টার", "center"), ("মেরামত", "meramot"),
    ("ঠিক করা", "thik kora"), ("ওস্তাদ", "ostad"), ("কারিগর", "karigor"), ("বাসায়", "basay"), ("জরুরি", "joruri"),
]  # fmt: skip
PRODUCT_WORDS = [
    ("দেশি", "deshi"), ("তাজা", "taja"), ("খাঁটি", "khati"), ("পাইকারি", "paikari"), ("গ্রামের", "gramer"),
    ("হাটের", "hater"), ("অর্গানিক", "organic"), ("বাড়ির", "barir"), ("নতুন", "notun"), ("বড়", "boro"),
    ("ছোট", "choto"), ("ভালো", "valo"), ("হাওরের", "haorer"), ("নদীর", "nodir"),
]  # fmt: skip
PLACE_WORDS = [
    ("বাজার", "bazar"), ("ঘাট", "ghat"), ("স্টেশন", "station"), ("মোড়", "mor"), ("বাসস্ট্যান্ড", "bus stand"),
    ("কলেজ রোড", "college road"), ("পৌরসভা", "pourashava"), ("থানা", "thana"), ("লঞ্চঘাট", "launch ghat"),
    ("হাট", "hat"), ("চৌরাস্তা", "chourasta"), ("ব্রিজ", "bridge"), ("পূর্বপাড়া", "purbopara"), ("উত্তরপাড়া", "uttorpara"),
]  # fmt: skip
#: How often a set targets each: providers most (what the report's zero-result queries are about).
SHARES = {"provider": 0.6, "product": 0.25, "place": 0.15}


def misspellings(latin: str, rng: random.Random) -> list[str]:
    """Ways people mistype a Banglish word: a vowel swapped, a letter doubled or dropped, sh for s."""
    swaps = [
        ("o", "a"),
        ("a", "o"),
        ("i", "e"),
        ("e", "i"),
        ("u", "o"),
        ("sh", "s"),
        ("s", "sh"),
        ("v", "bh"),
    ]
    out = []
    for old, new in rng.sample(swaps, len(swaps)):
        if old in latin:
            out.append(latin.replace(old, new, 1))
    letters = [i for i, c in enumerate(latin) if c.isalpha()]
    if letters:
        i = rng.choice(letters)
        out.append(latin[: i + 1] + latin[i] + latin[i + 1 :])
    if len(letters) > 5:
        i = rng.choice(letters[1:-1])
        out.append(latin[:i] + latin[i + 1 :])
    return out


def _bases(kind: str, slug: str) -> list[tuple[str, str]]:
    """(Bangla, Banglish) names of a target to build phrases on."""
    if kind == "place":
        upazila = taxonomy().upazilas[slug]
        return [(upazila.bn, upazila.en.lower())]
    category = taxonomy().categories(kind)[slug]
    bases = [(category.bn, romanize(category.bn))]
    bases += [(bn, en.lower()) for bn, en in category.items]
    bases += [(w, romanize(w)) for w in needs().get(kind, {}).get(slug, ()) if not w.isascii()][:6]
    return bases


def _candidates(kind: str, slug: str, rng: random.Random, fill: int | None) -> Iterator[list[str]]:
    """Endless candidate word lists for one target: a base with a word beside it, in both scripts, and
    its misspellings (`fill`: exactly that many words, misspellings of misspellings if need be)."""
    beside = {"provider": PROVIDER_WORDS, "product": PRODUCT_WORDS, "place": PLACE_WORDS}[kind]
    bases = _bases(kind, slug)
    while True:
        bn, latin = rng.choice(bases)
        word_bn, word_latin = rng.choice(beside)
        before = kind == "product"  # goods take their adjective first: দেশি মুরগি
        phrase_bn = f"{word_bn} {bn}" if before else f"{bn} {word_bn}"
        phrase_latin = f"{word_latin} {latin}" if before else f"{latin} {word_latin}"
        words = [phrase_bn, phrase_latin, *misspellings(phrase_latin, rng)]
        if fill is None:
            yield words[: rng.randint(3, min(12, len(words)))]
            continue
        seen = {banglish_key(w) for w in words}
        for _ in range(fill * 4):
            if len(words) >= fill:
                break
            for word in misspellings(rng.choice(words[1:]), rng):
                if banglish_key(word) not in seen and len(words) < fill:
                    seen.add(banglish_key(word))
                    words.append(word)
        yield words


def realistic_synonym_sets(n: int = 500, seed: int = 21, *, fill: int | None = None) -> list[SynonymSet]:
    """`n` sets that the service would accept one after another, for targets weighted by SHARES; with
    `fill`, every set has that many words (the worst case SYNONYM_MAX_WORDS allows: 20)."""
    rng = random.Random(seed)
    targets = {
        "provider": sorted(taxonomy().provider_categories),
        "product": sorted(taxonomy().product_categories),
        "place": sorted(taxonomy().upazilas),
    }
    streams = {
        (kind, slug): _candidates(kind, slug, rng, fill) for kind, slugs in targets.items() for slug in slugs
    }
    used: set[str] = set()
    out: list[SynonymSet] = []
    attempts = 0
    while len(out) < n:
        attempts += 1
        if attempts > n * 200:
            raise RuntimeError(f"only {len(out)} distinct sets found; ask for fewer")
        kind = rng.choices(list(SHARES), weights=list(SHARES.values()))[0]
        slug = rng.choice(targets[kind])
        words = [w for w in next(streams[(kind, slug)]) if banglish_key(w) not in used]
        if len(words) < (fill or 2):
            continue
        body: dict[str, Any] = {"words": words, "note": "bench/synonym_sets.py"}
        body |= {"upazila": slug} if kind == "place" else {"kind": kind, "category": slug}
        candidate = synonym_set(body, id=f"bench{len(out):04d}", created_by="bench")
        if conflicts(candidate) or len(candidate.words) < (fill or 2):
            continue
        used.update(banglish_key(w) for w in candidate.words)
        out.append(candidate)
    return out


def request_body(synonym: SynonymSet) -> dict[str, Any]:
    """What POST /v1/synonyms takes for this set."""
    body: dict[str, Any] = {"words": list(synonym.words), "note": synonym.note}
    return body | (
        {"upazila": synonym.upazila}
        if synonym.upazila
        else {"kind": synonym.kind, "category": synonym.category}
    )


def summary(sets: list[SynonymSet]) -> dict[str, Any]:
    words = [len(s.words) for s in sets]
    by_target: dict[str, int] = {}
    for s in sets:
        target = "place" if s.upazila else s.kind
        by_target[target] = by_target.get(target, 0) + 1
    return {
        "sets": len(sets),
        "words": sum(words),
        "words_per_set": {"min": min(words), "mean": round(sum(words) / len(words), 1), "max": max(words)},
        "by_target": by_target,
        "targets": len({(s.kind, s.category, s.upazila) for s in sets}),
        "bangla_words": sum(not w.isascii() for s in sets for w in s.words),
    }


def post_all(sets: list[SynonymSet], url: str, key: str) -> dict[str, int]:
    import httpx

    statuses: dict[str, int] = {}
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
        for s in sets:
            status = str(client.post("/v1/synonyms", json=request_body(s)).status_code)
            statuses[status] = statuses.get(status, 0) + 1
    return statuses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", type=int, default=500)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--fill", type=int, default=None, help="words in every set (20: the most allowed)")
    parser.add_argument(
        "--out", type=Path, default=None, help="JSON lines of POST bodies (default under bench/results)"
    )
    parser.add_argument("--post", default=None, help="an ingest-service URL to add them to")
    parser.add_argument("--key", default="demo-clerk-key", help="a key with the synonyms scope, for --post")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sets = realistic_synonym_sets(args.sets, args.seed, fill=args.fill)
    seconds = time.perf_counter() - started
    out = (
        args.out
        or Path(__file__).resolve().parent
        / "results"
        / f"synonym-sets-{args.sets}{f'x{args.fill}' if args.fill else ''}.jsonl"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for s in sets:
            f.write(json.dumps(request_body(s), ensure_ascii=False) + "\n")
    print(
        json.dumps(
            {**summary(sets), "generated_in_s": round(seconds, 2), "written_to": str(out)},
            ensure_ascii=False,
            indent=1,
        )
    )
    for s in sets[:5]:
        print(" ", s.upazila or s.category, "←", ", ".join(s.words))
    if args.post:
        print("posted:", post_all(sets, args.post, args.key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
