"""The storefronts: GET /v1/sellers/nearest, GET /v1/sellers/{id_or_slug}, and the seller's card on
every product result. request.py → bodies.py (pure) → run.py (I/O: the storefront searches) and
cards.py (I/O: the seller cards joined into product results, kept while the sellers index is
unchanged) and counts.py (I/O: the storefronts' product counts, nearby and on a storefront's page,
kept while the products index is unchanged; both kept by known.py) → results.py → answer.py. A
storefront's products are searched by products/
(GET /v1/products/search?seller=<id>)."""
