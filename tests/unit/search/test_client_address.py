"""Who the client is, from the peer address and — only behind a trusted proxy — X-Forwarded-For."""

from __future__ import annotations

import pytest

from search.http.client_address import TrustedProxies, client_key, parse_address


def scope(peer: str, *forwarded: str) -> dict:
    return {"client": (peer, 50000), "headers": [(b"x-forwarded-for", f.encode()) for f in forwarded]}


NONE = TrustedProxies()
LOCAL_PROXY = TrustedProxies.parse("127.0.0.1, 10.0.0.0/8")


def test_without_trusted_proxies_headers_are_never_read():
    assert client_key(scope("127.0.0.1", "203.0.113.9"), NONE) == "127.0.0.1"
    assert client_key(scope("198.51.100.7", "203.0.113.9"), NONE) == "198.51.100.7"


def test_a_peer_that_is_not_a_trusted_proxy_is_the_client_whatever_it_sends():
    assert client_key(scope("198.51.100.7", "203.0.113.9"), LOCAL_PROXY) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client():
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert client_key(scope("127.0.0.1", "1.2.3.4, 203.0.113.9"), LOCAL_PROXY) == "203.0.113.9"
    # Two proxies of ours in a row: both skipped.
    assert client_key(scope("127.0.0.1", "1.2.3.4, 203.0.113.9, 10.2.3.4"), LOCAL_PROXY) == "203.0.113.9"
    # Several headers count as one list, in order.
    assert client_key(scope("127.0.0.1", "1.2.3.4", "203.0.113.9"), LOCAL_PROXY) == "203.0.113.9"


def test_garbage_stops_trust_at_the_last_known_proxy():
    assert client_key(scope("127.0.0.1", "not-an-ip"), LOCAL_PROXY) == "127.0.0.1"
    assert client_key(scope("127.0.0.1", "203.0.113.9, junk, 10.0.0.5"), LOCAL_PROXY) == "10.0.0.5"
    assert client_key(scope("127.0.0.1"), LOCAL_PROXY) == "127.0.0.1"  # no header: the proxy itself


def test_ipv6_clients_are_keyed_by_their_64():
    a = client_key(scope("2001:db8:1:2::1"), NONE)
    b = client_key(scope("2001:db8:1:2:ffff::9"), NONE)
    c = client_key(scope("2001:db8:1:3::1"), NONE)
    assert a == b == "2001:db8:1:2::/64"
    assert c != a
    assert client_key(scope("::ffff:203.0.113.9"), NONE) == "203.0.113.9"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        (" 203.0.113.9:4711 ", "203.0.113.9"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ('"[2001:db8::1]"', "2001:db8::1"),
        ("unknown", None),
        ("", None),
        ("999.1.1.1", None),
    ],
)
def test_addresses_as_proxies_write_them(text, expected):
    parsed = parse_address(text)
    assert (str(parsed) if parsed else None) == expected


def test_a_malformed_trusted_proxies_setting_fails_loudly():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        TrustedProxies.parse("10.0.0.0/8, proxy.internal")
    assert not TrustedProxies.parse(" , ")
