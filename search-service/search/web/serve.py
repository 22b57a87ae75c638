"""Serve the built web client at /app/: the page and the files its build lists, and nothing else.

`make web` builds `src/` into `dist/` (build.mjs) and writes `dist/manifest.json`, the list of files a
browser may fetch. Only those are served, so sources, build scripts and package files next to them never
reach the public, whatever is added to this folder later. Hashed names are kept by browsers for a year;
the few fixed names (the service worker, sw.js) and the page are asked again each time, the page with an
ETag so that asking again costs a round trip, not the page.

The page is completed here, once at start-up: the taxonomy's upazilas and categories, the cattle
market's animals and breeds, and the map tile configuration are written into it, so the first screen needs no request beyond the page, one script and
the first results, and the taxonomy keeps a single copy in `schemas/`.

The district is configuration (`DISTRICT`), not text of the page: its name goes into the title, the
heading and the boot data, the place a search starts from before the citizen says where they are is its
first upazila (the sadar), and of the emergency numbers the build marks as one district's
(`<!--district:slug-->…<!--/district-->`), only the configured district's stay.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route, Router

from portal.contracts import configured_district, district_summary, district_upazilas, livestock, taxonomy
from search.config import SearchSettings

DIST = Path(__file__).resolve().parent / "dist"
BOOT_MARKER = "<!--serve:boot-data-->"
DISTRICT_MARKER = "{{serve:district}}"  # the district's Bangla name, in the title and the heading
START_MARKER = "{{serve:start}}"  # the upazila a search starts from, in the location picker
#: What the build wrote for one district only (its hospitals among the emergency numbers).
DISTRICT_BLOCK = re.compile(r"<!--district:([a-z0-9-]+)-->(.*?)<!--/district-->", re.DOTALL)
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
IMMUTABLE = "public, max-age=31536000, immutable"  # the build puts a content hash in these names
REVALIDATE = "no-cache"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MapTiles:
    """An OpenStreetMap-compatible tile source ({z}/{x}/{y}, optionally {s}); None means no tiles."""

    url: str
    attribution: str
    max_zoom: int = 18

    @classmethod
    def from_settings(cls, settings: SearchSettings) -> MapTiles | None:
        if not settings.map_tile_url.strip():
            return None
        return cls(settings.map_tile_url.strip(), settings.map_tile_attribution, settings.map_tile_max_zoom)

    def public(self) -> dict[str, Any]:
        return {"url": self.url, "attribution": self.attribution, "max_zoom": self.max_zoom}

    def origin(self) -> str | None:
        """The tile host for the Content-Security-Policy; None when tiles come from this server."""
        parts = urlsplit(self.url.replace("{s}", "*"))
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def district_label(district: str | None = None) -> dict[str, str]:
    """The district this server serves (`DISTRICT`): slug, Bangla and English name."""
    d = district_summary(district or configured_district())
    return {"slug": d.slug, "bn": d.bn, "en": d.en}


def boot_data(tiles: MapTiles | None, district: str | None = None) -> dict[str, Any]:
    """What the page needs before its first search: the district (`district`, else the configured one),
    its upazilas (the sadar first: where a search starts), categories (with icons), map tiles."""
    t = taxonomy()
    upazilas = district_upazilas(district) if district else t.upazilas

    def categories(entity: str) -> list[dict[str, str]]:
        return [{**c.public(), "icon": c.icon} for c in t.categories(entity).values()]

    market = livestock()
    return {
        "district": district_label(district),
        "upazilas": [
            {"slug": u.slug, "bn": u.bn, "en": u.en, "lat": u.lat, "lon": u.lon} for u in upazilas.values()
        ],
        "categories": {"provider": categories("provider"), "product": categories("product")},
        "livestock": {
            "animals": [a.public() for a in market.animals.values()],
            "breeds": [{**b.public(), "animals": list(b.animals)} for b in market.breeds.values()],
        },
        "tiles": tiles.public() if tiles else None,
    }


def complete_page(template: str, boot: dict[str, Any]) -> str:
    """The built page with this server's district and boot data written in."""
    district = boot["district"]
    start = boot["upazilas"][0]["bn"] if boot["upazilas"] else district["bn"]

    def one_district(found: re.Match[str]) -> str:
        return found.group(2) if found.group(1) == district["slug"] else ""

    page = DISTRICT_BLOCK.sub(one_district, template)
    page = page.replace(DISTRICT_MARKER, html.escape(district["bn"]))
    page = page.replace(START_MARKER, html.escape(start))
    script = f'<script id="boot" type="application/json">{script_json(boot)}</script>'
    return page.replace(BOOT_MARKER, script, 1)


def script_json(data: Any) -> str:
    """JSON that cannot end its <script> element or open a comment inside it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def content_security_policy(boot_sha256: str, tiles: MapTiles | None) -> str:
    """Scripts only from here plus the one inline boot script; the API only on this origin."""
    images = " ".join(filter(None, ["'self'", "data:", tiles.origin() if tiles else None]))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'sha256-{boot_sha256}'",
            "style-src 'self' 'unsafe-inline'",  # the page's inline stylesheet; Leaflet positions by style
            f"img-src {images}",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


class WebClient:
    """The built client in `dist`: the completed page and the files its manifest names."""

    def __init__(self, dist: Path, tiles: MapTiles | None) -> None:
        manifest_path = dist / "manifest.json"
        self.built = manifest_path.is_file()
        self.files: dict[str, Path] = {}
        self.fixed: set[str] = set()
        self.page = ""
        self.headers: dict[str, str] = {}
        if not self.built:
            log.warning("web client not built: %s is missing; run `make web`", manifest_path)
            return
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        template = (dist / manifest["index"]).read_text(encoding="utf-8")
        if BOOT_MARKER not in template:
            raise ValueError(f"{dist / manifest['index']} has no {BOOT_MARKER}: rebuild with `make web`")
        self.page = complete_page(template, boot_data(tiles))
        self.files = {name: dist / name for name in manifest["files"]}
        self.fixed = set(manifest.get("fixed", []))
        etag = hashlib.sha256(self.page.encode("utf-8")).hexdigest()[:20]
        self.headers = {
            "Cache-Control": REVALIDATE,
            "ETag": f'"{etag}"',
            "Content-Security-Policy": content_security_policy(manifest["boot_sha256"], tiles),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }

    async def index(self, request: Request) -> Response:
        if not self.built:
            raise HTTPException(404, "The web client is not built on this server: run `make web`.")
        if self.headers["ETag"] in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=self.headers)
        return HTMLResponse(self.page, headers=self.headers)

    async def asset(self, request: Request) -> Response:
        path = self.files.get(request.path_params["name"])
        if path is None:
            raise HTTPException(404, "Not Found")
        cache = REVALIDATE if path.name in self.fixed else IMMUTABLE
        return FileResponse(
            path,
            media_type=MEDIA_TYPES.get(path.suffix),
            headers={"Cache-Control": cache, "X-Content-Type-Options": "nosniff"},
        )

    async def storefront(self, request: Request) -> Response:
        """/app/s/<slug> is a storefront's shareable page: the same page (it reads the slug from the
        address). The page names its files from /app/; pages of earlier builds named them relatively,
        which resolves under /app/s/, so those are served there too."""
        if request.path_params["name"] in self.files:
            return await self.asset(request)
        return await self.index(request)

    def router(self) -> Router:
        return Router(
            routes=[
                Route("/", self.index, methods=["GET", "HEAD"]),
                Route("/index.html", self.index, methods=["GET", "HEAD"]),
                Route("/s/{name}", self.storefront, methods=["GET", "HEAD"]),
                Route("/{name:path}", self.asset, methods=["GET", "HEAD"]),
            ]
        )


def mount_web_client(app: FastAPI, tiles: MapTiles | None, dist: Path = DIST) -> WebClient:
    """Serve the client at /app/ (/app redirects there)."""
    client = WebClient(dist, tiles)
    app.mount("/app", client.router(), name="app")
    return client
