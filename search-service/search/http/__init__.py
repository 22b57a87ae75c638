"""The edge of the service, before any endpoint runs: who the client is (client_address.py, from
TRUSTED_PROXIES), how many requests a minute it may send (rate_limit.py) and how many searches run at
once and whose goes first (admission.py). ASGI middleware, installed in this order by search.main.
"""
