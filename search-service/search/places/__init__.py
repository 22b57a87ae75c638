"""Where a citizen is: a point named by the district's own polygons (upazila, union or paurashava), for the
`query.citizen_at` of every answer given a position and for GET /v1/places/at."""
