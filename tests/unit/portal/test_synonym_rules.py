"""What a synonym set may not change without saying so, its limits, and its trail. Pure."""

from __future__ import annotations

import json

import pytest

from portal.settings import PortalSettings
from portal.synonyms import (
    InvalidSynonym,
    Limits,
    SynonymBook,
    conflicts,
    decode,
    synonym_set,
    target_of,
)


def refused(data: dict, others=()) -> list:
    return conflicts(synonym_set(data, id="new"), others)


@pytest.mark.parametrize(
    "words", [["অ্যাম্বুলেন্স"], ["এম্বুলেন্স"], ["Ambulance"], ["ambulance"], ["ডাক্তার", "অ্যাম্বুলেন্স"], ["রক্তদাতা"]]
)
@pytest.mark.parametrize("target", [{"upazila": "austagram"}, {"category": "lawyer"}])
def test_an_emergency_category_s_own_words_never_name_anything_else(words, target):
    found = refused({"words": words, **target})
    assert found and all(c.emergency for c in found)
    assert {c.word for c in found} == set(words)


def test_an_emergency_need_word_stays_the_emergency_s():
    [found] = refused({"words": ["oxygen"], "upazila": "bhairab"})
    assert found.emergency and [t.slug for t in found.names] == ["ambulance"]
    [found] = refused({"words": ["hospital"], "upazila": "bhairab"})  # a category's own name since round 3
    assert found.emergency and [t.slug for t in found.names] == ["hospital"]


@pytest.mark.parametrize("word", ["ambulans", "ambulance service", "ডাক্তার বাড়ি", "daktari"])
def test_a_near_spelling_or_a_phrase_with_an_emergency_word_needs_the_override(word):
    [found] = refused({"words": [word], "category": "lawyer"})
    assert not found.emergency, "an override may add it, and says so on the set"


@pytest.mark.parametrize("word", ["নাপিত", "napit", "Barber", "সেলুন", "salon"])
def test_a_category_name_or_alias_in_any_script_cannot_quietly_become_another_category(word):
    [found] = refused({"words": [word], "category": "lawyer"})
    assert [t.slug for t in found.names] == ["barber"] and not found.emergency


def test_a_place_name_cannot_become_a_category_nor_a_category_word_a_place():
    assert [t.slug for t in refused({"words": ["ভৈরব"], "category": "lawyer"})[0].names] == ["bhairab"]
    assert [t.slug for t in refused({"words": ["গরু"], "upazila": "bhairab"})[0].names] == ["livestock"]


def test_new_words_and_words_of_the_same_target_are_fine():
    assert refused({"words": ["ঝাড়ুদার", "jharudar"], "category": "cleaner"}) == []
    assert refused({"words": ["অ্যাম্বুলেন্স সার্ভিস", "ambulans"], "category": "ambulance"}) == []
    assert refused({"words": ["রোগী"], "category": "doctor"}) == [], "a need of doctor (and ambulance)"
    assert refused({"words": ["bhoirob bazar"], "upazila": "bhairab"}) == []
    # a provider synonym cannot change product searches: a product item is not in its way
    assert refused({"words": ["গরু"], "category": "doctor"}) == []


def test_a_word_another_set_gave_to_something_else_is_a_conflict_too():
    # a word no contract has (the taxonomy lists ঝাড়ুদার, jharudar itself)
    cleaner = synonym_set({"words": ["safaiwala"], "category": "cleaner"}, id="s1", created_by="rahima")
    [found] = refused({"words": ["Safaiwala"], "category": "mason"}, [cleaner])
    assert found.through == "s1" and [t.slug for t in found.names] == ["cleaner"]
    assert refused({"words": ["safaiwala"], "kind": "product", "category": "fish"}, [cleaner]) == []
    gone = cleaner.removed_record(at="2026-12-01T10:00:00+06:00", by="karim")
    assert refused({"words": ["safaiwala"], "category": "mason"}, [gone]) == []


def test_the_refusal_says_what_the_word_names_in_both_languages():
    synonym = synonym_set({"words": ["নাপিত"], "category": "lawyer"}, id="new")
    [found] = conflicts(synonym)
    en = found.message("synonym_conflict", "en", target_of(synonym))
    bn = found.message("synonym_conflict", "bn", target_of(synonym))
    assert "Barber" in en and "Lawyer" in en and '"override": true' in en
    assert "নাপিত" in bn and "আইনজীবী" in bn and "override" in bn
    assert found.details() == {
        "word": "নাপিত",
        "names": ["provider:barber"],
        "synonym_set": None,
        "emergency": False,
    }


def test_limits_come_from_the_caller_and_are_said_in_both_languages():
    small = Limits(words=3, word_chars=10)
    with pytest.raises(InvalidSynonym) as e:
        synonym_set({"words": ["a", "b", "c", "d"], "category": "cleaner"}, id="x", limits=small)
    assert e.value.field == "words" and "3" in str(e.value) and "৩" in e.value.bn
    with pytest.raises(InvalidSynonym) as e:
        synonym_set({"words": ["a", "x" * 11], "category": "cleaner"}, id="x", limits=small)
    assert "word 2" in str(e.value) and "২" in e.value.bn
    # what was valid when written stays readable by every process, whatever its own limits
    assert synonym_set({"words": ["w"] * 30, "category": "cleaner"}, id="x").words == ("w",)


def test_a_set_records_who_added_and_who_removed_it():
    added = synonym_set(
        {"words": ["jharudar"], "category": "cleaner", "override": True, "created_by": "forged"},
        id="s1",
        created_at="2026-12-01T10:00:00+06:00",
        created_by="rahima",
    )
    assert added.created_by == "rahima", "the name comes from the key, never from the body"
    assert added.override is True
    record = json.dumps(added.removed_record(at="2026-12-02T09:00:00+06:00", by="karim").to_json()).encode()
    read = decode(record, "s1")
    assert read.removed and read.removed_by == "karim" and read.created_by == "rahima"


def test_the_book_keeps_removed_sets_apart_and_search_never_sees_them():
    book = SynonymBook(PortalSettings())
    changes: list[int] = []
    book.on_change = lambda: changes.append(book.version)
    live = synonym_set({"words": ["jharudar"], "category": "cleaner"}, id="s1")
    gone = synonym_set({"words": ["mehtar"], "category": "cleaner"}, id="s2").removed_record(
        at="2026-12-02T09:00:00+06:00", by="karim"
    )
    book._publish({"s1": live, "s2": gone})
    assert [s.id for s in book.sets()] == ["s1"] and [s.id for s in book.removed()] == ["s2"]
    book._publish({"s1": live, "s2": gone})
    assert changes == [1], "only a change to the sets in force rebuilds search's lexicon"
