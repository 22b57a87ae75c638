"""Cheap liveness probes for /readyz: can we open a TCP connection to the broker at all?"""

from __future__ import annotations

import asyncio


async def any_reachable(bootstrap_servers: str, timeout_s: float = 1.0) -> bool:
    """True if at least one `host:port` of a Kafka bootstrap list accepts a connection."""
    for server in bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), timeout_s)
        except (OSError, TimeoutError, ValueError):
            continue
        writer.close()
        await writer.wait_closed()
        return True
    return False
