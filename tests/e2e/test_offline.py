"""The page without a network, in a browser that runs the client's service worker: a search offline
keeps the list on screen with the time it was saved and asks again by itself when the network returns;
a reload offline opens the page with the last answers; the emergency numbers are there all along.

The phone's clock is fixed at 1:40 at night (Dhaka), so the saved time reads "রাত ১:৪০"; the server keeps
its own fixed clock (mid-morning), which decides who is open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from playwright.sync_api import expect

from e2e.conftest import FIXED_NOW, DemoStack, PhonePage
from e2e.web_page import AT_TOWN, is_request, search_for, settle, texts, wait_until_kept_for_offline

pytestmark = pytest.mark.integration

NEAREST = "/v1/providers/nearest"
SAVED_AT: datetime = FIXED_NOW.replace(hour=1, minute=40)
#: The page is kept for a reload offline: the worker is active and this build's page and scripts are
#: in its cache (the page puts them there itself, from the browser's cache).


@pytest.fixture
def online_phone(make_phone: Callable[..., PhonePage], demo_stack: DemoStack) -> PhonePage:
    """A phone whose page runs the service worker (the other tests block it), at 1:40 on its clock."""
    phone = make_phone(demo_stack.url, intercept=False, service_workers="allow")
    phone.page.clock.set_fixed_time(SAVED_AT)
    return phone


def card_ids(phone: PhonePage) -> list[str | None]:
    return [c.get_attribute("data-id") for c in phone.page.locator("#provider-results .card").all()]


def test_a_search_offline_keeps_the_list_with_its_saved_time_and_retries_on_reconnect(
    online_phone: PhonePage,
) -> None:
    phone, page = online_phone, online_phone.page
    first = settle(page, lambda: phone.open(AT_TOWN), "provider-results", NEAREST)
    shown = card_ids(phone)
    assert shown and len(shown) == len(first["results"])

    phone.context.set_offline(True)
    page.locator("#provider-q").fill("kosai")
    page.locator("#provider-q").press("Enter")
    saved = page.locator("#provider-status .saved")
    expect(saved).to_contain_text("সংরক্ষিত · রাত ১:৪০")
    expect(saved).to_contain_text("নতুন খোঁজ হয়নি, নিচে আগের তালিকা")
    expect(saved.get_by_role("button", name="আবার চেষ্টা করুন")).to_be_visible()
    expect(page.locator("#provider-status [role=alert]")).to_have_count(0)
    assert card_ids(phone) == shown, "the numbers the citizen was about to call stay on screen"
    expect(page.locator("#provider-results a.call").first).to_be_visible()
    phone.screenshot("offline-search-kept")

    # The network returns: the search runs again by itself.
    with page.expect_response(is_request(NEAREST, q="kosai")):
        phone.context.set_offline(False)
    page.wait_for_function("() => !document.getElementById('provider-results').hasAttribute('aria-busy')")
    expect(saved).to_have_count(0)
    categories = texts(page, "#provider-results .category")
    assert categories and all(c.endswith("কসাই") for c in categories), categories
    phone.screenshot("offline-reconnected")

    # Offline again, the first search asked once more: its kept answer, saved at 1:40.
    phone.context.set_offline(True)
    page.locator("#provider-q").fill("")
    page.locator("#provider-q").press("Enter")
    expect(saved).to_contain_text("সংরক্ষিত · রাত ১:৪০")
    expect(saved).to_contain_text("আগে পাওয়া উত্তর")
    expect(page.locator("#provider-results .card")).to_have_count(len(first["results"]))
    assert card_ids(phone) == shown
    phone.context.set_offline(False)
    phone.forgive_failed_loads()


def test_a_reload_offline_opens_the_page_with_the_last_answers_and_the_emergency_numbers(
    online_phone: PhonePage,
) -> None:
    phone, page = online_phone, online_phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", NEAREST)
    body = search_for(page, "#provider-q", "kosai", "provider-results", NEAREST, q="kosai")
    assert body["results"]
    wait_until_kept_for_offline(page)

    phone.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker and response.ok
    expect(page.locator("#provider-status .saved")).to_contain_text("সংরক্ষিত · রাত ১:৪০")
    expect(page.locator("#provider-q")).to_have_value("kosai")  # the address kept the view
    expect(page.locator("#provider-results .card")).to_have_count(len(body["results"]))
    assert texts(page, "#provider-results .name") == [r["name"]["bn"] for r in body["results"]]
    phone.screenshot("offline-reload")

    # The emergency numbers: one tap away, without a network.
    page.locator("#sos summary").click()
    panel = page.locator("#sos .sos-panel")
    expect(panel.locator("a[href='tel:999']")).to_be_visible()
    expect(panel.locator("a[href='tel:16263']")).to_contain_text("১৬২৬৩")
    phone.screenshot("offline-emergency-numbers")
    phone.context.set_offline(False)
    phone.forgive_failed_loads()
