"""What the directory does not list is said so: no category claimed, nothing offered in its place —
unless something listed is named beside it. Pure (no engine evidence)."""

from __future__ import annotations

import pytest

from search.understanding.understanding import understand


@pytest.mark.parametrize(
    ("query", "kind", "slug"),
    [
        ("দর্জি", "provider", "tailor"),
        ("dorji", "provider", "tailor"),  # not দরজা (a door) read by its consonants
        ("tailor", "provider", "tailor"),
        ("কাপড় সেলাই", "provider", "tailor"),  # not জুতা সেলাই (a cobbler)
        ("গরুর ডাক্তার", "provider", "vet"),  # গরুর decides the kind of doctor: never a filler
        ("পশুর ওষুধ লাগবে", "provider", "vet"),
        ("ঘড়ি মেরামত", "provider", "watch_repair"),  # ঘড়ি's key is গাড়ি's ("gari"): the spelling decides
        ("সার", "product", "fertilizer"),  # সার's key is ষাঁড়'s ("sar"): the spelling decides
    ],
)
def test_a_need_we_do_not_list_claims_no_category(query: str, kind: str, slug: str):
    u = understand(query, kind)
    assert u.not_listed is not None and u.not_listed.slug == slug
    assert u.categories == () and u.required == ()


@pytest.mark.parametrize(
    ("query", "kind", "category"),
    [
        ("জুতা সেলাই", "provider", "cobbler"),
        ("গাড়ি লাগবে", "provider", "vehicle_rental"),
        ("ষাঁড়", "product", "livestock"),
        ("ডাক্তার", "provider", "doctor"),
        ("chul katabo", "provider", "barber"),  # "chul" is hair, not a misspelt "school"
    ],
)
def test_listed_words_are_not_taken_for_what_we_do_not_list(query: str, kind: str, category: str):
    u = understand(query, kind)
    assert u.not_listed is None and category in u.categories


def test_something_listed_named_beside_it_is_still_searched():
    u = understand("স্কুলের জন্য রিকশা", "provider")
    assert u.not_listed is None and u.categories == ("rickshaw_auto",)


def test_a_word_of_context_alone_does_not_make_a_category_of_a_need_we_do_not_list():
    assert understand("কোচিং সেন্টার", "provider").not_listed is not None
