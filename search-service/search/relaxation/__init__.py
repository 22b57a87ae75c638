"""Relaxation: when the strict search finds too little, the same search with the least telling words
dropped. plan.py decides the tiers (pure).
"""
