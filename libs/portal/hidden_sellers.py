"""Where the ids of deleted sellers live, for the one service that writes them and the one that reads.

ingest-service keeps them in one document of the sellers index (ingest/hidden_sellers.py); search-service
leaves those sellers' products out of every products read through a terms lookup of it
(search/queries/hidden_sellers.py). `~` is in no seller id (the event schema's id pattern), so the
document can never be a seller.
"""

HIDDEN_DOC_ID = "~hidden"
HIDDEN_FIELD = "hidden_seller_ids"
