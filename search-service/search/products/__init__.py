"""GET /v1/products/search: request.py (the parameters, their checks, what a cursor is bound to) →
bodies.py (one engine body per tier, facets, highlights: pure) → run.py (the relevance and sorted
searches, a later page, the sellers joined in: I/O) → results.py → answer.py; cursor.py pages."""
