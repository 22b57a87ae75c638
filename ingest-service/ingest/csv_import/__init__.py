"""CSV bulk import for data clerks, as a pipe of its own:

reader (bytes → decoded records) → columns (header → columns from schemas/csv) → cells (cell → value)
→ rows (row → change event, judged by ingest.validate) → publish (events → Kafka) → report,
driven by importer, with api/imports.py as the HTTP edge and imports_store.py as the record.
"""
