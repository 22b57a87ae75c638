"""Who a request comes from, decided in this one place: the rate limit keys its buckets by it.

The client is the address that connected, unless that address is a proxy the operator named in
TRUSTED_PROXIES. Then it is the address that proxy says it saw: `X-Forwarded-For` read from the right,
skipping further trusted proxies, so entries a client wrote itself (the left end of the header, which
proxies keep and append to) are never believed. uvicorn's own proxy-header handling is off (search.main
starts it with proxy_headers=False), because it would put any `X-Forwarded-For` in place of the peer
address before this code runs.

Many citizens reach the service through one address (a mobile carrier's NAT, an office network): they
share a bucket, which the default limit is sized for. An IPv6 client usually holds a whole /64 and can
change addresses within it at will, so IPv6 clients are keyed by their /64.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from portal.observability import Scope

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPV6_CLIENT_PREFIX = 64


class TrustedProxies:
    """Proxies whose `X-Forwarded-For` we believe: addresses or networks, e.g. `10.0.0.0/8,127.0.0.1`."""

    def __init__(self, networks: Iterable[str] = ()) -> None:
        self.networks = [ipaddress.ip_network(n.strip(), strict=False) for n in networks if n.strip()]

    @classmethod
    def parse(cls, spec: str) -> TrustedProxies:
        """From the comma-separated setting; a malformed entry is an error at start-up, not a silent gap."""
        try:
            return cls(spec.split(","))
        except ValueError as e:
            raise ValueError(f"TRUSTED_PROXIES: {e}; expected addresses or networks like 10.0.0.0/8") from e

    def __bool__(self) -> bool:
        return bool(self.networks)

    def __contains__(self, address: IPAddress) -> bool:
        return any(address.version == n.version and address in n for n in self.networks)


#: Addresses read, remembered: every request's client is read by the rate limit, admission and the search
#: log, and the same clients come back (~4 µs to parse each time otherwise).
ADDRESSES_CACHED = 16_384


@lru_cache(maxsize=ADDRESSES_CACHED)
def parse_address(text: str) -> IPAddress | None:
    """An address as proxies write it (`1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:80`), or None."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _forwarded_for(scope: Scope) -> list[str]:
    values = [v.decode("latin-1") for k, v in scope.get("headers") or [] if k == b"x-forwarded-for"]
    return [hop for value in values for hop in value.split(",")]


def client_address(scope: Scope, trusted: TrustedProxies) -> IPAddress | None:
    """The address of the client that sent this request, as far as we can trust anyone to tell us."""
    peer = scope.get("client")
    address = parse_address(peer[0]) if peer else None
    if address is None or not trusted or address not in trusted:
        return address
    for hop in reversed(_forwarded_for(scope)):
        forwarded = parse_address(hop)
        if forwarded is None:
            break  # a garbled entry: trust stops here, at the last proxy we know
        address = forwarded
        if address not in trusted:
            break
    return address


def client_key(scope: Scope, trusted: TrustedProxies) -> str:
    """The rate-limit bucket of this request's client: its IPv4 address, or its IPv6 /64."""
    address = client_address(scope, trusted)
    if address is None:
        peer = scope.get("client")
        return peer[0] if peer else "unknown"  # a unix socket or a test transport
    return _key(address)


@lru_cache(maxsize=ADDRESSES_CACHED)
def _key(address: IPAddress) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False))
    return str(address)
