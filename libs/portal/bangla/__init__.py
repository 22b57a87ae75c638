"""Bangla text handling for search: Unicode clean-up, numbers, and Banglish (romanized) matching.

Pure standard library, so the ingest and search services can share one definition of "the same
word" without the engine, PyICU, or a network round trip.
"""
