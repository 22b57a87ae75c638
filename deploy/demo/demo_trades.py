"""What each kind of provider offers and how it works: services, hours, who does the job, shop names.

The trades are data, in trades.toml beside this module (one table a trade, as the taxonomy's other
tables are data); this module says what their fields mean and reads them. Keyed by the taxonomy's
provider slugs. The services name the work in the trade's own words and never use another category's
name or alias, so a search for one trade does not surface another. A category that is in the taxonomy
but not here still gets providers, through `GENERIC_TRADE`.

Some trades list kinds of provider with their own services, hours and names: a hospital's emergency never
closes, a diagnostic centre keeps long days, a pharmacy by the hospitals stays open all night. Urgent trades
guarantee what a citizen needs at night: the first providers of every upazila are always open, available
and callable (`reachable_first`), while others keep their phone private, as real listings do.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

from demo_bangla import Name, nfc


@dataclass(frozen=True, slots=True)
class Trade:
    services: tuple[str, ...] = ()
    hours: tuple[tuple[str, float], ...] = ()
    """(pattern name in demo_hours.HOURS_PATTERNS, weight)."""
    female_share: float = 0.05
    hindu_share: float = 0.1
    business_share: float = 0.0
    """How often the listing is under a shop or firm name instead of the person's own."""
    business_words: str = "shop"
    honorific: Name | None = None
    honorific_share: float = 0.0
    radius_km: float = 6.0
    official: bool = False
    """Listed by post and upazila (ইউএনও, ওসি ...), not by a person's name."""
    donates_blood: bool = False
    office: Name | None = None
    """A fixed address such as the upazila parishad, instead of a street address."""
    core_services: int = 0
    """The first this many services are offered by every provider of the trade (a hospital's emergency),
    listed first; the rest are sampled."""
    institution: bool = False
    """Listed under an invented institution name (নিরাময় ক্লিনিক), never a person's; see demo_names."""
    kinds: tuple[tuple[Trade, float], ...] = ()
    """Kinds of provider within the category (hospital, clinic, diagnostic centre) and how often each is
    listed; each kind is a Trade of its own services, hours, names and spread, so the category's own
    Trade only says how the kinds are dealt."""
    reachable_first: int = 0
    """The first this many providers of every upazila are of the first kind, always open, available and
    with a public phone: what a citizen can call at any hour, in every upazila."""

    def kind_for(self, rng: Random, n: int) -> Trade:
        """The trade itself, or for a trade with kinds the kind of its n-th provider in an upazila."""
        if not self.kinds:
            return self
        if n <= self.reachable_first:
            return self.kinds[0][0]
        return rng.choices([kind for kind, _ in self.kinds], [weight for _, weight in self.kinds])[0]


TRADES_FILE = Path(__file__).with_name("trades.toml")


def _trade(entry: dict[str, Any], kinds: dict[str, Trade]) -> Trade:
    """One table of trades.toml as a Trade: Bangla NFC-normalized, lists as the tuples Trade holds."""
    fields = dict(entry)
    if "services" in entry:
        fields["services"] = tuple(nfc(s) for s in entry["services"])
    if "hours" in entry:
        fields["hours"] = tuple((pattern, weight) for pattern, weight in entry["hours"])
    if "kinds" in entry:
        fields["kinds"] = tuple((kinds[kind], weight) for kind, weight in entry["kinds"])
    for name in ("honorific", "office"):
        if name in entry:
            bn, en = entry[name]
            fields[name] = (nfc(bn), en)
    return Trade(**fields)


def _load() -> tuple[dict[str, Trade], Trade]:
    with open(TRADES_FILE, "rb") as f:
        table = tomllib.load(f)
    kinds = {name: _trade(entry, {}) for name, entry in table["kinds"].items()}
    trades = {slug: _trade(entry, kinds) for slug, entry in table["trades"].items()}
    return trades, _trade(table["generic"], kinds)


TRADES, GENERIC_TRADE = _load()
"""Keyed by the taxonomy's provider slugs; GENERIC_TRADE serves every other category."""


def trade_for(slug: str) -> Trade:
    return TRADES.get(slug, GENERIC_TRADE)
