"""GET /v1/categories: the taxonomy with live counts. bodies.py (pure) → run.py (the engine, its answer
kept a while) → answer.py (the response model)."""
