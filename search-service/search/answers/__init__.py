"""What every answer is made of. Each endpoint's response models live in its package (answer.py) —
the contract frontends generate clients from; here are the small shapes they all reuse (labels.py:
a slug with its words, text in two scripts, a point, what is not listed) and the one way a slug of the
contracts becomes a label (slugs.py).

Routes declare the models (`response_model`). The search endpoints (nearest providers, products) shape
the JSON of their models as plain dicts and write it with orjson (json_answer.py: pydantic cost more
CPU than the rest of a products page), held to the models' own bytes by an offline test; the others
build the model instances, which FastAPI serializes in one step. A field with a default is left out
of the JSON when the shaping code did not set it (routes answer with `exclude_unset`): a product's
`distance_m` without a point, `highlight` without words, a provider's `rating` when it has none.
Every other field is always there, null when unknown.
"""
