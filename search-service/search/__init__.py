"""search-service: the map of its rooms (the README's "Architecture" draws the same).

One package per endpoint family, each holding its request model (request.py), its pure engine bodies
(bodies.py), the one module that talks to the engine for it (run.py), its result shaping (results.py)
and its response models (answer.py):
- providers/   GET /v1/providers/nearest
- products/    GET /v1/products/search (cursor.py: its paging)
- sellers/     GET /v1/sellers/nearest, GET /v1/sellers/{id_or_slug}, the seller on product cards
- suggest/     GET /v1/suggest
- categories/  GET /v1/categories
What they share:
- understanding/  reading what was typed (lexicon → reading → understanding), the engine's evidence
                  about words, and the "what was understood" block every answer carries (understood.py)
- relaxation/     the tiers of a search (plan.py) and what they found (found.py), however the
                  endpoint asked them
- queries/        pure clauses every endpoint's bodies use: words → text clauses (text.py), live
                  documents and known categories (live.py), deleted sellers left out (without_hidden_sellers.py)
- answers/        the small shapes every answer reuses (labels.py), a slug → its words (slugs.py),
                  answers written as their models' JSON from dicts (json_answer.py)
- http/           the edge: who the client is, the rate limit, admission, gzip, routes called directly
- api/            thin routes: read the request model, call the endpoint's run, answer (and log it)
Flat, because each is one thing the whole process has once: main.py (the app and its lifespan),
config.py (the settings), engine.py (the one path to OpenSearch), query_log.py (every search to the
search_log topic). web/ is the reference client served at /app/.
"""
