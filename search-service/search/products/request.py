"""What GET /v1/products/search is asked: its parameters (the route reads them, the builders take them,
the API documents them), the combinations that cannot mean anything, and what a cursor is bound to —
every parameter of the model but paging, so a new filter is bound without being listed anywhere."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from portal.bangla.normalize import normalize_text
from portal.contracts import livestock
from search.products.cursor import MAX_CURSOR_CHARS, query_fingerprint
from search.queries.live import known_category
from search.understanding.understanding import Understanding

Sort = Literal[
    "relevance", "price_asc", "price_desc", "distance", "newest", "price_per_kg_asc", "price_per_kg_desc"
]
PER_KG_SORTS = ("price_per_kg_asc", "price_per_kg_desc")

LIVESTOCK = "livestock"
#: Livestock filters: (parameter, field of the products index, the contract's vocabulary or None).
LIVESTOCK_TERMS = (("animal", "animals"), ("breed", "breeds"), ("sex", "sexes"), ("seen_at", "seen_at_kinds"))


class InvalidProductQuery(ValueError):
    """Parameters that are each fine alone but not together; `parameter` names the one to change."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


MAX_PRICE_BDT = 1_000_000_000
#: The livestock parameters (the cattle market's filters), by name.
LIVESTOCK_PARAMETERS = (
    "animal", "breed", "sex", "seen_at", "min_weight_kg", "max_weight_kg", "min_age_months", "max_age_months",
)  # fmt: skip


class ProductQuery(BaseModel):
    """The parameters of GET /v1/products/search, as the route reads them and the builders take them:
    a new parameter is a new field here, and the API and the cursor's fingerprint follow from it."""

    model_config = ConfigDict(frozen=True)

    q: str | None = Field(default=None, max_length=200, description="Free text: Bangla, Banglish or English")
    category: str | None = Field(
        default=None, max_length=40, description="Product category slug, see /v1/categories"
    )
    min_price: float | None = Field(default=None, ge=0, le=MAX_PRICE_BDT, description="BDT, inclusive")
    max_price: float | None = Field(default=None, ge=0, le=MAX_PRICE_BDT, description="BDT, inclusive")
    lat: float | None = Field(default=None, ge=-90, le=90, description="Latitude (WGS84), with lon")
    lon: float | None = Field(default=None, ge=-180, le=180, description="Longitude (WGS84), with lat")
    radius_km: float | None = Field(
        default=None, gt=0, le=100, description="Only with lat/lon; 10 km when omitted"
    )
    in_stock: bool = Field(default=True, description="false also lists products out of stock")
    sort: Sort = Field(
        default="relevance",
        description="distance needs lat/lon; relevance without q is newest; "
        "price_per_kg_* lists livestock with a live weight",
    )
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(
        default=None, max_length=MAX_CURSOR_CHARS, description="next_cursor of the previous page"
    )
    seller: str | None = Field(
        default=None, max_length=128, description="A seller id: search within that storefront"
    )
    # the cattle market (livestock only): slugs of schemas/livestock.json, weights in kg, ages in months
    animal: str | None = Field(
        default=None, max_length=40, description="Livestock: cow, bull, goat, buffalo or sheep"
    )
    breed: str | None = Field(
        default=None,
        max_length=40,
        description="Livestock: a breed slug (schemas/livestock.json), e.g. sahiwal",
    )
    sex: str | None = Field(default=None, max_length=40, description="Livestock: male, female or castrated")
    seen_at: str | None = Field(
        default=None, max_length=40, description="Livestock: haat (cattle market) or farm"
    )
    min_weight_kg: float | None = Field(default=None, gt=0, le=2000, description="Livestock: live weight, kg")
    max_weight_kg: float | None = Field(default=None, gt=0, le=2000, description="Livestock: live weight, kg")
    min_age_months: int | None = Field(default=None, ge=0, le=360, description="Livestock: age in months")
    max_age_months: int | None = Field(default=None, ge=0, le=360, description="Livestock: age in months")

    @field_validator("category")
    @classmethod
    def _known(cls, category: str | None) -> str | None:
        return known_category(category, "product")

    @property
    def livestock_filters(self) -> dict[str, Any]:
        """The livestock parameters that are set, by name."""
        return {n: getattr(self, n) for n in LIVESTOCK_PARAMETERS if getattr(self, n) is not None}

    @property
    def text(self) -> str:
        return normalize_text(self.q or "")

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def radius(self) -> float:
        return self.radius_km if self.radius_km is not None else 10.0


def check(params: ProductQuery) -> None:
    """Reject combinations of parameters that cannot mean anything, naming the one to fix."""
    if (params.lat is None) != (params.lon is None):
        missing = "lon" if params.lon is None else "lat"
        raise InvalidProductQuery(missing, "lat and lon must be given together")
    if params.radius_km is not None and not params.has_point:
        raise InvalidProductQuery("radius_km", "radius_km needs lat and lon")
    if params.sort == "distance" and not params.has_point:
        raise InvalidProductQuery("sort", "sort=distance needs lat and lon")
    if params.min_price is not None and params.max_price is not None and params.min_price > params.max_price:
        raise InvalidProductQuery("min_price", "min_price must not be greater than max_price")
    _check_livestock(params)


def _check_livestock(params: ProductQuery) -> None:
    """Livestock filters name the contract's words and only make sense for livestock."""
    market = livestock()
    for name, vocabulary in LIVESTOCK_TERMS:
        value = getattr(params, name)
        known = getattr(market, vocabulary)
        if value is not None and value not in known:
            raise InvalidProductQuery(name, f"unknown {name} {value!r}; expected one of {', '.join(known)}")
    asked = list(params.livestock_filters) + (["sort"] if params.sort in PER_KG_SORTS else [])
    if asked and params.category not in (None, LIVESTOCK):
        raise InvalidProductQuery(
            asked[0],
            f"{asked[0]} only applies to livestock; drop category={params.category} or set category=livestock",
        )
    for low, high in (("min_weight_kg", "max_weight_kg"), ("min_age_months", "max_age_months")):
        a, b = getattr(params, low), getattr(params, high)
        if a is not None and b is not None and a > b:
            raise InvalidProductQuery(low, f"{low} must not be greater than {high}")


def effective_sort(params: ProductQuery, understanding: Understanding | None) -> Sort:
    """Relevance means nothing without words to be relevant to; then the newest come first."""
    if params.sort == "relevance" and (understanding is None or not understanding.key_tokens):
        return "newest"
    return params.sort


#: Parameters that do not choose which products come back, nor their order: a cursor pages across them.
PAGING = frozenset({"limit", "cursor"})
#: Bound as the search reads them: the normalized text, the point with its radius, the sort applied.
READ_AS = frozenset({"q", "lat", "lon", "radius_km", "sort"})
#: What cursors were bound to from the first release, by these names, set or not. Every parameter added
#: since joins the fingerprint only when set, so cursors in flight survive a deploy that adds one.
FIRST_BOUND = ("category", "min_price", "max_price", "in_stock")
#: The rest: every other parameter, bound when set (in the model's order; the fingerprint sorts keys).
LATER_BOUND = tuple(n for n in ProductQuery.model_fields if n not in PAGING | READ_AS | set(FIRST_BOUND))


def fingerprint(params: ProductQuery, understanding: Understanding | None, tier: int = 0) -> str:
    """What a cursor is bound to: every parameter that selects or orders results (all of ProductQuery
    but PAGING, so a new filter is bound without being listed here), and the relaxation tier that
    answered the first page, so every page comes from it."""
    later = {name: value for name in LATER_BOUND if (value := getattr(params, name)) is not None}
    return query_fingerprint(
        {
            "q": params.text,
            "tier": tier,
            **{name: getattr(params, name) for name in FIRST_BOUND},
            "point": [params.lat, params.lon, params.radius] if params.has_point else None,
            "sort": effective_sort(params, understanding),
            **later,
        }
    )
