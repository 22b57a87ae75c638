"""Where the list of deleted sellers lives, for the one service that writes it and the one that reads it.

ingest-service keeps the ids of deleted sellers in one document of the sellers index
(ingest/hide_deleted_sellers.py); search-service leaves those sellers' products out of every products
read through a terms lookup of it (search/queries/without_hidden_sellers.py). `~` is in no seller id (the event
schema's id pattern), so the document can never be a seller.
"""

HIDDEN_DOC_ID = "~hidden"
HIDDEN_FIELD = "hidden_seller_ids"
