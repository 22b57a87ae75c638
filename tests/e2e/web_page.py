"""Reading the web client as a person does: wait for the answer a gesture causes, read the numbers it
shows in either script. Shared by the browser tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page

#: Near Kishoreganj town, a little north-west of the Sadar upazila centre.
NEAR_TOWN = {"lat": 24.4449, "lon": 90.7766}
AT_TOWN = f"?lat={NEAR_TOWN['lat']}&lon={NEAR_TOWN['lon']}"
BANGLA_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
TO_BANGLA = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


def number(text: str) -> float:
    """A rendered number in either script, grouping commas dropped: "১,২৫,০০০" → 125000."""
    return float(re.sub(r"[^0-9.]", "", text.translate(BANGLA_DIGITS)))


def metres(text: str) -> float:
    """A rendered distance back in metres: "৩.৬ কিমি", "৮৫০ মিটার", "3.6 km", "850 m"."""
    value = number(text)
    return value * 1000 if ("কিমি" in text or "km" in text) else value


def lakh(n: int) -> str:
    """How a Bangla page writes a count: 125000 → "১,২৫,০০০"."""
    digits = str(n)
    head, tail = digits[:-3], digits[-3:]
    groups = [head[max(0, i - 2) : i] for i in range(len(head), 0, -2)][::-1]
    return ",".join([*groups, tail] if head else [tail]).translate(TO_BANGLA)


#: Every visible control at least 44×44 px, named, and its text at least 14 px (the parked skip link,
#: off screen, aside).
SMALL_OR_UNNAMED = """() => [...document.querySelectorAll(
    'button, a[href], select, summary, [role=option], input:not([type=checkbox]):not([type=radio]), label.toggle, label.group')]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > 0)
  .flatMap(e => {
    const box = e.getBoundingClientRect();
    const named = e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim();
    const what = e.id || e.className || e.tagName;
    const small = [e, ...e.querySelectorAll('*')]
      .filter(n => [...n.childNodes].some(c => c.nodeType === 3 && c.textContent.trim()))
      .map(n => parseFloat(getComputedStyle(n).fontSize))
      .filter(size => size < 14);
    return [
      ...(box.height < 44 || box.width < 44 ? [`${what} is ${box.width}x${box.height}`] : []),
      ...(named ? [] : [`${e.id || e.tagName} has no label`]),
      ...(small.length ? [`${what} has ${Math.min(...small)} px text`] : []),
    ];
  })"""


def phone_problems(page: Page) -> list[str]:
    """What keeps the page from fitting a phone: a row wider than the screen (long rows such as the
    category chips must scroll inside themselves), and controls too small to tap, with text under 14 px,
    or without a name."""
    wide = page.evaluate("document.documentElement.scrollWidth")
    screen = page.viewport_size["width"] if page.viewport_size else 360
    return ([f"the page is {wide} px wide"] if wide > screen else []) + page.evaluate(SMALL_OR_UNNAMED)


def query_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def is_request(path: str, **params: Any) -> Callable[[Any], bool]:
    """A predicate on requests or responses: this API path, with at least these query parameters."""

    def match(response: Any) -> bool:
        query = query_of(response.url)
        return urlsplit(response.url).path == path and all(query.get(k) == str(v) for k, v in params.items())

    return match


def settle(page: Page, action: Callable[[], Any], list_id: str, path: str, **params: Any) -> dict[str, Any]:
    """Do `action`, wait for the API answer it causes, then for the list to show it; return that answer."""
    with page.expect_response(is_request(path, **params)) as answer:
        action()
    body = answer.value.json()
    page.wait_for_function("id => !document.getElementById(id).hasAttribute('aria-busy')", arg=list_id)
    return body


def search_for(page: Page, box: str, words: str, list_id: str, path: str, **params: Any) -> dict[str, Any]:
    """Type `words` into the search box `box` (replacing what is there) and submit, as a person does:
    the search runs on submit, not per keystroke. Returns the answer the list shows."""
    page.locator(box).fill(words)
    return settle(page, lambda: page.locator(box).press("Enter"), list_id, path, **params)


#: Whether the page is kept for a reload without a network: the service worker is active, and this
#: build's page and app script are in its cache (the page puts them there itself).
KEPT_FOR_OFFLINE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  const shells = (await caches.keys()).filter((name) => name.startsWith('kg-shell-'));
  if (!registration || !registration.active || shells.length !== 1) return false;
  const kept = (await (await caches.open(shells[0])).keys()).map((r) => new URL(r.url).pathname);
  return kept.includes('/app/') && kept.some((path) => /^\\/app\\/app-[0-9a-f]+\\.js$/.test(path));
}"""


def wait_until_kept_for_offline(page: Page, timeout_s: float = 30) -> None:
    """Poll KEPT_FOR_OFFLINE (an async check, which wait_for_function would not await)."""
    for _ in range(int(timeout_s / 0.2)):
        if page.evaluate(KEPT_FOR_OFFLINE):
            return
        page.wait_for_timeout(200)
    raise AssertionError("the page was not kept for offline use")


def texts(page: Page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_text_contents()]


def show_map(page: Page, panel: str) -> None:
    """Scroll to a panel's map (after its list) and wait until the map module has drawn its markers."""
    page.locator(f"#panel-{panel} .map-box").scroll_into_view_if_needed()
    page.wait_for_selector(f"#panel-{panel} .leaflet-marker-icon")


def map_points(page: Page, panel: str) -> int:
    """How many results the map shows: single markers plus the counts written on clusters."""
    singles = page.locator(f"#panel-{panel} .result-marker").count()
    clustered = sum(int(number(t)) for t in texts(page, f"#panel-{panel} .result-cluster"))
    return singles + clustered
