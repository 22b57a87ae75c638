"""What a point lookup costs: portal.geography's locate (district, upazila, union) and contains.

    .venv/bin/python bench/bench_geography.py [--points N] [--district NAME]

Points are drawn (seeded) uniformly over the district's bounding box widened by 5 km, so some fall
outside it, some in the slivers between the union survey and the upazilas, most inside. Each call is
timed on its own with perf_counter_ns; the table gives microseconds per call. Also measured: loading
the district (parsing the contract, building the trees), once. Target: well under 1 ms per lookup.
"""

from __future__ import annotations

import random
import time
from typing import Any

from benchkit import command_line, format_table, latency_summary, log, machine, write_json
from portal.geography import Geography, contract, geography


def timed_us(calls: list[Any]) -> list[float]:
    """Microseconds of each call (a zero-argument callable)."""
    out = []
    for call in calls:
        start = time.perf_counter_ns()
        call()
        out.append((time.perf_counter_ns() - start) / 1000)
    return out


def sample_points(geo: Geography, n: int, seed: int = 25) -> list[tuple[float, float]]:
    raw = contract(geo.slug)["district"]["polygon"]["coordinates"]
    flat = [pt for ring_or_poly in raw for pt in _points(ring_or_poly)]
    lons, lats = [p[0] for p in flat], [p[1] for p in flat]
    margin_lat, margin_lon = 5 / 111.32, 5 / (111.32 * 0.91)
    rng = random.Random(seed)
    return [
        (
            rng.uniform(min(lats) - margin_lat, max(lats) + margin_lat),
            rng.uniform(min(lons) - margin_lon, max(lons) + margin_lon),
        )
        for _ in range(n)
    ]


def _points(value: Any) -> list[list[float]]:
    if isinstance(value[0], int | float):
        return [value]
    return [p for v in value for p in _points(v)]


def main(argv: list[str] | None = None) -> int:
    parser = command_line(__doc__)
    parser.add_argument("--points", type=int, default=20_000)
    parser.add_argument("--district", default="kishoreganj")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    geo = Geography(contract(args.district))
    load_ms = (time.perf_counter() - start) * 1000
    geography(args.district)
    points = sample_points(geo, args.points)
    log(f"{len(points)} points over {args.district}")
    locations = [geo.locate(lat, lon) for lat, lon in points[:2000]]  # warm-up, and what the points are
    upazila_of = [loc.upazila.slug if loc.upazila else None for loc in locations]
    inside = [(p, u) for p, u in zip(points, upazila_of, strict=False) if u]
    outside_share = 1 - len(inside) / len(locations)
    sliver_share = sum(1 for loc in locations if loc.upazila and not loc.union_inside) / max(1, len(inside))
    some_upazila = sorted(geo.upazilas)[0]

    runs = {
        "locate (district, upazila, union)": timed_us([lambda p=p: geo.locate(*p) for p in points]),
        "locate, 200 m tolerance": timed_us([lambda p=p: geo.locate(*p, tolerance_m=200) for p in points]),
        "contains (its own upazila)": timed_us(
            [lambda p=p, u=u: geo.contains(u, *p) for p, u in inside * (len(points) // max(1, len(inside)))]
        ),
        "contains (another upazila)": timed_us([lambda p=p: geo.contains(some_upazila, *p) for p in points]),
        "in_district": timed_us([lambda p=p: geo.in_district(*p) for p in points]),
    }
    summaries = {name: latency_summary(values) for name, values in runs.items()}
    rows = [
        (name, s["n"], s["p50"], s["p95"], s["p99"], s["max"], s["mean"]) for name, s in summaries.items()
    ]
    print(
        format_table(
            ["lookup", "calls", "p50 µs", "p95 µs", "p99 µs", "max µs", "mean µs"],
            rows,
            title=f"{args.district}: {len(geo.upazilas)} upazilas, {len(geo.unions)} unions and paurashavas; "
            f"loading the contract and trees {load_ms:.0f} ms; {100 * outside_share:.0f} % of the points "
            f"outside the district, {100 * sliver_share:.1f} % of those inside in no union polygon",
        )
    )
    path = write_json(
        "geography",
        {
            "district": args.district,
            "points": len(points),
            "load_ms": round(load_ms, 1),
            "outside_share": round(outside_share, 3),
            "sliver_share": round(sliver_share, 3),
            "microseconds": summaries,
            "machine": machine(),
        },
    )
    log(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
