"""GET /v1/providers/nearest: request.py (the parameters) → bodies.py (engine bodies, pure) → run.py
(the tiers in one round trip, and the second request an empty answer may need: I/O) → results.py
(hits → results, pure) → answer.py (the response model)."""
