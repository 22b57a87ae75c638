"""The synonym-set fixture: sets the service would accept, none sharing a word, the same for a seed."""

from __future__ import annotations

from portal.bangla.romanize import banglish_key
from portal.synonyms import conflicts, synonym_set
from synonym_sets import realistic_synonym_sets, request_body, summary


def test_the_sets_pass_the_service_s_own_checks_and_share_no_word():
    sets = realistic_synonym_sets(60, seed=3)
    assert len(sets) == 60 and sets == realistic_synonym_sets(60, seed=3)
    keys = [k for s in sets for k in {banglish_key(w) for w in s.words}]  # a set's spellings may share one
    assert len(keys) == len(set(keys)), "no two sets share a word"
    for s in sets:
        again = synonym_set(request_body(s), id=s.id)
        assert again.words == s.words and conflicts(again, sets) == []
        assert 2 <= len(s.words) <= 20
    shape = summary(sets)
    assert set(shape["by_target"]) == {"provider", "product", "place"} and shape["bangla_words"] >= 60


def test_fill_gives_every_set_the_most_words_allowed():
    assert {len(s.words) for s in realistic_synonym_sets(10, seed=5, fill=20)} == {20}
