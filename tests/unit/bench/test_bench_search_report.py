"""make bench-search's storefront rows: the request mixes it sends and the table it prints, without a server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

import bench_search
from portal.settings import PortalSettings

SETTINGS = PortalSettings(index_prefix="bench_", topic_prefix="bench_")


@pytest.mark.parametrize("endpoint", ["storefront", "livestock", "sellers", "products"])
def test_each_call_asks_the_service_and_the_engine_the_same_thing(endpoint):
    for call in bench_search.make_calls(endpoint, 40, 7, SETTINGS, 100_000):
        params = parse_qs(urlsplit(call.path).query)
        if endpoint == "storefront":
            assert params["seller"] and call.index == "bench_products"
        if endpoint == "livestock":
            assert params["category"] == ["livestock"]
        if endpoint == "sellers":
            assert call.index == "bench_sellers"
        assert b"hidden_seller_ids" in call.body, "the raw side pays the hidden-seller lookup too"


def test_the_storefront_design_table_prints_every_measure(capsys):
    rounds = [{"ms": ms, "polls": 1, "products_of_seller": 10_000} for ms in (30.0, 25.0, 40.0)]
    summary = {"p50": 1.5, "p95": 3.0}
    bench_search.print_storefront_design(
        {
            "rename": {bench_search.BIG_SELLER: rounds},
            "copy_into_products": {bench_search.BIG_SELLER: {"seconds": 4.2, "products_rewritten": 10_000}},
            "join_mget_20_sellers": summary,
            "products_search_plain": summary,
            "products_search_with_hidden_lookup": summary,
            "hidden_sellers_listed": 330,
        }
    )
    out = capsys.readouterr().out
    assert "10,000" in out and "30.00" in out and "4.20" in out and "330 closed" in out
