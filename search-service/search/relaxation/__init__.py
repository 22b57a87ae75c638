"""Relaxation: when the strict search finds too little, the same search with the least telling words
dropped. plan.py decides the tiers, found.py reads what they found (both pure); each endpoint asks
them in one round trip its own way (providers/run.py, products/bodies.py first_page_bodies).
"""
