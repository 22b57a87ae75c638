"""hide_deleted_sellers: after sellers are written, the list of deleted sellers every product search excludes.

Products are not rewritten when their seller changes (search joins the seller at query time, see the
README's "Storefronts"), so a deleted seller's products must be hidden another way: the sellers index
holds one document, `~hidden` (no seller id can contain `~`; portal/hidden_seller_list.py), whose
`hidden_seller_ids` lists every deleted seller, and product searches exclude those ids through a terms
lookup of it — a realtime get inside the engine, so a delete shows at once, without waiting for a
refresh.

The list is reconciled from the sellers index itself, for every seller a batch touched (written or
found stale): a crash between writing a tombstone and updating the list is healed when the batch is
redelivered, because the redelivered (now stale) event still names the seller. It runs before the
offsets are committed, inside the consumer's retry loop: EngineUnavailable while the engine is away,
EngineRefused if it refuses the update for good (the consumer dead-letters the sellers' events then).
"""

from __future__ import annotations

from typing import Any

from ingest.engine import IngestEngine
from ingest.events import ChangeEvent
from portal.hidden_seller_list import HIDDEN_DOC_ID, HIDDEN_FIELD

#: Remove the sellers that are live again, add the deleted ones; a no-op when nothing changes.
_RECONCILE = """
def ids = ctx._source[params.field];
if (ids == null) { ids = new ArrayList(); ctx._source[params.field] = ids; }
boolean changed = ids.removeAll(params.visible);
for (def id : params.hidden) { if (!ids.contains(id)) { ids.add(id); changed = true; } }
if (!changed) { ctx.op = 'noop'; }
"""


def touched_sellers(events: list[ChangeEvent]) -> list[str]:
    """Ids of the sellers among events (in order, once each)."""
    return list(dict.fromkeys(e.id for e in events if e.entity == "seller"))


def split_by_state(ids: list[str], docs: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """(hidden, visible) from an mget answer: a tombstone hides its seller's products; a live seller,
    or one the index has never seen, hides nothing."""
    hidden = [d["_id"] for d in docs if d.get("found") and d.get("_source", {}).get("deleted")]
    return hidden, [i for i in ids if i not in set(hidden)]


async def reconcile_hidden_sellers(engine: IngestEngine, sellers_index: str, ids: list[str]) -> None:
    """Make the `~hidden` list agree with the index for `ids`.

    Raises EngineUnavailable to be retried, EngineRefused when the engine will never take the update."""
    if not ids:
        return
    hidden, visible = split_by_state(ids, await engine.realtime_sources(sellers_index, ids, "deleted"))
    await engine.update_by_script(
        sellers_index,
        HIDDEN_DOC_ID,
        _RECONCILE,
        {"field": HIDDEN_FIELD, "hidden": hidden, "visible": visible},
        upsert={HIDDEN_FIELD: hidden},
    )
