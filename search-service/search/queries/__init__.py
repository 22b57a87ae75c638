"""Pure clauses every endpoint's bodies share: a query word found in an entity's text in any script
(text.py), live documents and known categories (live.py), and every products or sellers read without
the deleted sellers (without_hidden_sellers.py, applied by engine.py)."""
