"""What the index knows about a query word: how many live documents use it, per category. Pure.

Query understanding asks this for the words no name or need explains. "ফৌজদারি" or "khat" then count
for the category whose providers write them in their services, without anyone listing them; and a
word our data really uses is never read as a typo of a name it merely resembles. Exact matching only
(analyzed Bangla, English, Banglish key forms as typed): evidence must not come from fuzzy guesses.
"""

from __future__ import annotations

from typing import Any

from search.queries.live import live_filters
from search.understanding.reading import Word
from search.understanding.understanding import WordEvidence

EVIDENCE_FIELDS = {
    "provider": {
        "text": ["name.bn", "name.en", "services", "address.bn", "address.en"],
        "key": ["name_key", "services_key"],
    },
    "product": {"text": ["title.bn", "title.en", "description.bn", "description.en"], "key": ["title_key"]},
}


def word_evidence_body(word: Word, kind: str) -> dict[str, Any]:
    fields = EVIDENCE_FIELDS[kind]
    # a word typed as a listed Bangla word is found as written (and without its ending), never by a key
    # it shares with another word: ধান (paddy) is not দান (a gift) of "রক্তদান"
    should: list[dict[str, Any]] = [
        {"multi_match": {"query": w, "fields": fields["text"], "operator": "and"}} for w in word.looked_for_as
    ]
    if not word.listed:
        keys = sorted({form for form, _ in word.forms})
        should += [{"terms": {field: keys}} for field in fields["key"]]
    return {
        "size": 0,
        "track_total_hits": True,
        "query": {"bool": {"filter": live_filters(kind), "should": should, "minimum_should_match": 1}},
        "aggs": {"by_category": {"terms": {"field": "category", "size": 50}}},
    }


def evidence_from(response: dict[str, Any]) -> WordEvidence:
    buckets = response.get("aggregations", {}).get("by_category", {}).get("buckets", [])
    return WordEvidence(
        hits=response["hits"]["total"]["value"],
        by_category={b["key"]: b["doc_count"] for b in buckets},
    )
