"""Reading what a citizen typed: the lexicon (taxonomy, needs, places, breeds, synonyms) → a reading of
the words → what the query asks for (categories, a place, a blood group, the words that must match).

Pure: lexicon.py, reading.py, quantities.py, understanding.py, evidence.py (the engine body asking how
often a word occurs, and its answer read). I/O: word_evidence.py (those questions, cached) and
query_reader.py (the current lexicon and its readings, the one entry point the endpoints call).
"""
