"""The reference web client: sources in `src/`, built into `dist/` by `make web`, served by `serve.py`."""
