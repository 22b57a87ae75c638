"""The bodies search-service answers with, as pydantic models: the contract frontends generate clients from.

Routes declare them (`response_model`) and the shaping code builds them, once per answer; FastAPI then
passes the instances through unvalidated and serializes them in one step. A field with a default is
left out of the JSON when the shaping code did not set it (routes answer with `exclude_unset`): a
product's `distance_m` without a point, `highlight` without words, a provider's `rating` when it has
none. Every other field is always there, null when unknown.
"""
