"""The edge of the service, before any endpoint runs: who the client is (client_address.py, from
TRUSTED_PROXIES), how many requests a minute it may send (rate_limit.py) and how many searches run at
once and whose goes first (admission.py); answers gzipped (compression.py); and the search routes
called without FastAPI's routing layers (direct_routes.py, the innermost). ASGI middleware, all
installed by search.main.
"""
