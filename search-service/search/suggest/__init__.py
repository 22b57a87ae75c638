"""GET /v1/suggest: request.py (what was typed) → categories.py (category names, matched in Python) and
bodies.py (product titles, one engine body), both pure → run.py (I/O) → results.py → answer.py."""
