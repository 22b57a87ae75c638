"""The web client's upazilas.json is an exact extract of schemas/taxonomy.json, never edited by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
WEB = REPO / "search-service" / "search" / "web"
TAXONOMY = REPO / "schemas" / "taxonomy.json"

# Kishoreganj district with a generous margin: a centre outside it is a typo in the taxonomy.
DISTRICT = {"lat": (23.9, 24.8), "lon": (90.5, 91.3)}


def load(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_upazila_of_the_taxonomy_in_its_order_with_its_centre() -> None:
    taxonomy = load(TAXONOMY)["upazilas"]
    shipped = load(WEB / "upazilas.json")
    assert shipped == [{k: u[k] for k in ("slug", "bn", "en", "lat", "lon")} for u in taxonomy]


def test_the_thirteen_upazilas_lie_in_the_district() -> None:
    shipped = load(WEB / "upazilas.json")
    assert len(shipped) == 13
    assert len({u["slug"] for u in shipped}) == 13
    for u in shipped:
        assert DISTRICT["lat"][0] < u["lat"] < DISTRICT["lat"][1], u
        assert DISTRICT["lon"][0] < u["lon"] < DISTRICT["lon"][1], u
        assert u["bn"] and u["en"], u


def test_the_generator_finds_the_shipped_file_current() -> None:
    """Byte for byte: the file is what build_upazilas.py writes, so regenerating it changes nothing."""
    check = subprocess.run(
        [sys.executable, str(WEB / "build_upazilas.py"), "--check"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
