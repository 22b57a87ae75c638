"""/app serves the built client and nothing else: the page (completed with the district, the taxonomy and
the tile configuration) and the files the build's manifest lists. Built here from a tiny stand-in dist/,
so the serving rules are checked without npm."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from portal.contracts import configured_district, district_summary, taxonomy
from search.config import SearchSettings
from search.web.serve import (
    MapTiles,
    boot_data,
    complete_page,
    content_security_policy,
    mount_web_client,
    script_json,
)

PAGE = """<!doctype html><html><head><title>হাতের মুঠোয় {{serve:district}}</title>
<!--serve:boot-data--><script>boot()</script></head>
<body><h1>হাতের মুঠোয় {{serve:district}}</h1><select id="upazila"><option value="">{{serve:start}}</option></select>
<ul id="sos-list"><li data-id="national-emergency">৯৯৯</li><!--district:kishoreganj--><li data-id="kishoreganj-hospital">কিশোরগঞ্জ হাসপাতাল</li><!--/district--><!--district:netrokona--><li data-id="netrokona-hospital">নেত্রকোণা হাসপাতাল</li><!--/district--></ul>
<script type="module" src="app-0123456789.js"></script></body></html>"""


def built(tmp: Path, *, extra: dict[str, str] | None = None) -> Path:
    dist = tmp / "dist"
    dist.mkdir()
    (dist / "index.html").write_text(PAGE, encoding="utf-8")
    (dist / "app-0123456789.js").write_text("console.log('app')", encoding="utf-8")
    (dist / "map-0123456789.css").write_text(".map{}", encoding="utf-8")
    for name, text in (extra or {}).items():
        (dist / name).write_text(text, encoding="utf-8")
    manifest = {
        "index": "index.html",
        "files": ["app-0123456789.js", "map-0123456789.css"],
        "boot_sha256": "abc=",
    }
    (dist / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return dist


class Browser:
    """GETs against the app in-process (httpx over ASGI)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def get(self, path: str, *, follow_redirects: bool = True) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://web.test") as http:
            return await http.get(path, follow_redirects=follow_redirects)


def client(dist: Path, tiles: MapTiles | None = None) -> Browser:
    app = FastAPI()
    mount_web_client(app, tiles, dist=dist)
    return Browser(app)


def boot_of(html: str) -> dict:
    found = re.search(r'<script id="boot" type="application/json">(.*?)</script>', html)
    assert found, html
    return json.loads(found.group(1))


async def test_the_page_carries_the_taxonomy_and_no_tiles_by_default(tmp_path: Path) -> None:
    answer = await client(built(tmp_path)).get("/app/")
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-cache"
    boot = boot_of(answer.text)
    t = taxonomy()
    assert [u["slug"] for u in boot["upazilas"]] == list(t.upazilas)
    assert {c["slug"] for c in boot["categories"]["provider"]} == set(t.provider_categories)
    assert all(c["icon"] for c in boot["categories"]["provider"])
    assert boot["tiles"] is None


async def test_the_page_names_the_configured_district_and_starts_at_its_sadar(tmp_path: Path) -> None:
    answer = await client(built(tmp_path)).get("/app/")
    district = district_summary(configured_district())
    boot = boot_of(answer.text)
    assert boot["district"] == {"slug": district.slug, "bn": district.bn, "en": district.en}
    sadar = boot["upazilas"][0]
    assert f"<title>হাতের মুঠোয় {district.bn}</title>" in answer.text
    assert f"<h1>হাতের মুঠোয় {district.bn}</h1>" in answer.text
    assert f'<option value="">{sadar["bn"]}</option>' in answer.text
    assert "{{serve:" not in answer.text and "<!--district:" not in answer.text
    assert 'data-id="national-emergency"' in answer.text
    # Of the hospitals, only the configured district's.
    assert (f'data-id="{district.slug}-hospital"' in answer.text) and answer.text.count("-hospital") == 1


def test_another_district_by_configuration_is_its_own_page() -> None:
    """DISTRICT=netrokona: its name in the title and heading, its sadar where a search starts, its
    hospitals only (search-service reads the setting once per process; here the district is passed)."""
    boot = boot_data(None, "netrokona")
    assert boot["district"] == {"slug": "netrokona", "bn": "নেত্রকোণা", "en": "Netrokona"}
    assert boot["upazilas"][0]["slug"] == "netrokona-sadar"
    assert boot["upazilas"][0]["bn"] == "নেত্রকোণা সদর"
    page = complete_page(PAGE, boot)
    assert "<title>হাতের মুঠোয় নেত্রকোণা</title>" in page
    assert '<option value="">নেত্রকোণা সদর</option>' in page
    assert "নেত্রকোণা হাসপাতাল" in page and "কিশোরগঞ্জ" not in page
    assert boot_of(page)["district"]["en"] == "Netrokona"


async def test_only_the_files_the_build_lists_are_served(tmp_path: Path) -> None:
    dist = built(tmp_path, extra={"build.mjs": "secret", "notes.txt": "x"})
    (tmp_path / "serve.py").write_text("source", encoding="utf-8")
    app = client(dist)
    for name in ("app-0123456789.js", "map-0123456789.css"):
        answer = await app.get(f"/app/{name}")
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (await app.get("/app/app-0123456789.js")).headers["content-type"].startswith("text/javascript")
    for path in ("/app/build.mjs", "/app/notes.txt", "/app/manifest.json", "/app/../serve.py", "/app/%2e%2e/serve.py",
                 "/app/src/app.js", "/app/build_upazilas.py", "/app/package.json", "/app/dist/index.html"):  # fmt: skip
        assert (await app.get(path)).status_code == 404, path
    assert (await app.get("/app", follow_redirects=False)).status_code in (307, 308)


async def test_an_unbuilt_client_answers_404_with_what_to_run(tmp_path: Path) -> None:
    answer = await client(tmp_path / "missing").get("/app/")
    assert answer.status_code == 404
    assert "make web" in answer.text


async def test_tiles_from_settings_reach_the_page_and_its_security_policy(tmp_path: Path) -> None:
    settings = SearchSettings(
        map_tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png", map_tile_attribution="© OpenStreetMap"
    )
    tiles = MapTiles.from_settings(settings)
    assert tiles is not None
    answer = await client(built(tmp_path), tiles).get("/app/")
    assert boot_of(answer.text)["tiles"] == {
        "url": "https://{s}.tile.example.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap",
        "max_zoom": 18,
    }
    policy = answer.headers["content-security-policy"]
    assert "img-src 'self' data: https://*.tile.example.org" in policy
    assert "script-src 'self' 'sha256-abc='" in policy
    assert MapTiles.from_settings(SearchSettings(map_tile_url="  ")) is None


def test_a_same_origin_tile_url_adds_no_host_to_the_policy() -> None:
    policy = content_security_policy("x", MapTiles("/tiles/{z}/{x}/{y}.png", ""))
    assert "img-src 'self' data:;" in policy


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "<!-- x", "a<b"])
def test_boot_data_cannot_close_its_script_element(text: str) -> None:
    encoded = script_json({"name": text})
    assert "<" not in encoded
    assert json.loads(encoded) == {"name": text}
