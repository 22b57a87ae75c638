"""Answers a citizen can trust, on the real stack: the index's Bangla analysis, what the directory does
not list, the item a buyer named, dialect and whole sentences, medical needs at night, reachable first.
"""

from __future__ import annotations

import pytest

from portal.settings import PortalSettings


def analyzed(engine, settings: PortalSettings, text: str) -> list[str]:
    answer = engine.indices.analyze(
        index=settings.index_alias("providers"), body={"analyzer": "bn_folded", "text": text}
    )
    return [t["token"] for t in answer["tokens"]]


@pytest.mark.parametrize(
    ("word", "keeps", "never"),
    [
        ("পানির", "পানি", "পা"),  # the engine's stemmer made every পা… word match water
        ("ছাদের", "ছাদ", None),
        ("কাটাতে", "কাটা", "কা"),
        ("ডাক্তারদের", "ডাক্তার", None),
        ("বাসায়", "বাসা", "বাস"),  # a home is not a bus
        ("মধুর", "মধু", None),
    ],
)
def test_bangla_endings_come_off_but_words_keep_their_stem(ingest, engine, settings, word, keeps, never):
    tokens = analyzed(engine, settings, word)
    assert keeps in tokens
    assert never not in tokens
