"""Write upazilas.json, the 13 upazila centres the web client draws and offers as a location picker.

The taxonomy (schemas/taxonomy.json) is the one copy of the district's geography; the page is static and
must not fetch anything but the public API and its own files, so it gets this small extract instead.
Run it after editing the taxonomy; tests/unit/web/test_upazilas_json.py fails while the copy is stale.

    python search-service/search/web/build_upazilas.py          # rewrite upazilas.json
    python search-service/search/web/build_upazilas.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

WEB = Path(__file__).resolve().parent
TAXONOMY = WEB.parents[2] / "schemas" / "taxonomy.json"
OUTPUT = WEB / "upazilas.json"
FIELDS = ("slug", "bn", "en", "lat", "lon")


def upazilas_from(taxonomy: dict[str, Any]) -> list[dict[str, Any]]:
    """The upazilas in taxonomy order, with only the fields the page uses."""
    return [{field: upazila[field] for field in FIELDS} for upazila in taxonomy["upazilas"]]


def render(upazilas: list[dict[str, Any]]) -> str:
    """One upazila a line: readable in a diff, and a few hundred bytes over a slow network."""
    lines = [json.dumps(u, ensure_ascii=False, separators=(",", ":")) for u in upazilas]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def main(argv: list[str]) -> int:
    text = render(upazilas_from(json.loads(TAXONOMY.read_text(encoding="utf-8"))))
    if "--check" in argv:
        if OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text:
            return 0
        print(f"{OUTPUT} is stale: run {Path(__file__).name} to rewrite it from {TAXONOMY}", file=sys.stderr)
        return 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(text.encode())} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
