"""Typing costs little and gives something back: suggestions from /v1/suggest in either script, asked
when the typist pauses (a slow phone typist is not asked on every letter), a full search only on submit
or on choosing a suggestion. The keystroke and request counts are printed and written to
tests/artifacts/web-typing.json; nothing here asserts on time."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Response, expect

from e2e.conftest import ARTIFACTS, PhonePage
from e2e.web_page import AT_TOWN, is_request, settle, texts

pytestmark = pytest.mark.integration

NEAREST = "/v1/providers/nearest"
SUGGEST = "/v1/suggest"
SLOW_TYPIST_MS = 375  # a letter every 350–400 ms, as people type on a cheap phone


def test_keystrokes_against_requests_at_a_slow_typists_pace(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", NEAREST)
    sizes: list[int] = []

    def record(response: Response) -> None:
        if is_request(SUGGEST)(response):
            sizes.append(len(response.body()))

    page.on("response", record)
    words = "kosai daktar"
    page.locator("#provider-q").press_sequentially(words, delay=SLOW_TYPIST_MS)
    with page.expect_response(is_request(SUGGEST, q=words)):
        pass  # the pause after the last letter: its suggestion is asked
    suggests = phone.api_requests(SUGGEST)
    searches = phone.api_requests(NEAREST)
    print(f"\n{len(words)} keystrokes at {SLOW_TYPIST_MS} ms a letter ({words!r}):")
    print(f"  suggestion requests  {len(suggests):>3}  ({sum(sizes)} bytes of answers)")
    print(f"  searches while typing {len(searches) - 1:>2}  (the page's first search aside)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "web-typing.json").write_text(
        json.dumps(
            {
                "words": words,
                "keystrokes": len(words),
                "key_interval_ms": SLOW_TYPIST_MS,
                "suggest_requests": len(suggests),
                "suggest_answer_bytes": sum(sizes),
                "searches_while_typing": len(searches) - 1,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    assert len(searches) == 1, "no search per keystroke"
    assert 1 <= len(suggests) <= 3, suggests  # one per pause, not one per letter

    settle(page, lambda: page.locator("#provider-q").press("Enter"), "provider-results", NEAREST, q=words)
    assert len(phone.api_requests(NEAREST)) == 2, "Enter runs exactly one search"
    expect(page.locator("#provider-suggest")).to_be_hidden()


def test_a_suggestion_in_either_script_opens_its_search(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", NEAREST)
    box = page.locator("#provider-q")

    # Banglish in, the category named in Bangla; a tap runs its search.
    with page.expect_response(is_request(SUGGEST, q="daktar")):
        box.press_sequentially("daktar")
    option = page.locator("#provider-suggest [role=option]").first
    expect(option).to_contain_text("ডাক্তার")
    expect(box).to_have_attribute("aria-expanded", "true")
    phone.screenshot("suggest-providers")
    settle(page, option.click, "provider-results", NEAREST, category="doctor")
    expect(box).to_have_value("")
    expect(page.locator("#chips .chip[data-slug=doctor]")).to_have_attribute("aria-pressed", "true")
    assert "cat=doctor" in page.url
    assert all(c.endswith("ডাক্তার") for c in texts(page, "#provider-results .category"))

    # Bangla in, chosen with the keyboard.
    with page.expect_response(is_request(SUGGEST, q="কসা")):
        box.press_sequentially("কসা")
    expect(page.locator("#provider-suggest [role=option]").first).to_contain_text("কসাই")
    box.press("ArrowDown")
    settle(page, lambda: box.press("Enter"), "provider-results", NEAREST, category="butcher")

    # A product's words in the providers' box: the suggestion opens the products tab.
    box.fill("")
    with page.expect_response(is_request(SUGGEST, q="goru")):
        box.press_sequentially("goru")
    product = page.locator("#provider-suggest [role=option]", has_text="পণ্য").first
    expect(product).to_be_visible()
    with page.expect_response(is_request("/v1/products/search")):
        product.click()
    expect(page.locator("#panel-products")).to_be_visible()
    page.wait_for_function("() => document.querySelectorAll('#product-results .card').length > 0")
