"""Thin routes, declared alike (route.py): read the endpoint's request model from the query string
(query_model.py), call its run, answer with its response model; the searches that are logged read
their moment and go to the search log through search_request.py; errors.py shapes what only search
answers."""
