"""A frontend client generated from each OpenAPI document type-checks against real answers.

openapi-typescript (npm, installed from tests/contract/package-lock.json by `make contract-tools`)
turns each service's /openapi.json into TypeScript types, as a frontend team would. Answers captured
from the services on the real stack (Kafka, OpenSearch, data indexed through ingest) are written into
a .ts file, each as a value of the type its path, method and status declare, and `tsc --strict
--noEmit` must accept them. Fresh object literals get TypeScript's excess-property check, so a field
the document does not declare fails as surely as a missing one or one of the wrong type; a control
file with one required field taken out must fail, so the check is known to bite.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from factories import livestock_facts, product_event, provider_event, seller_event
from harness.service_process import ServiceProcess
from integration.conftest import ARTIFACTS, REPO, produce, wait_for

pytestmark = pytest.mark.integration

TOOLS = REPO / "tests" / "contract" / "node_modules" / ".bin"
WORK = ARTIFACTS / "contract"
KEY = {"Authorization": "Bearer test-key-1"}
KARIMGANJ = {"lat": 24.46, "lon": 90.87}  # away from the other modules' Sadar-centred providers

PROVIDERS = [
    provider_event("ct-electrician", lat=24.461, lon=90.871, rating=4.5,
                   hours=[{"day": d, "open": "09:00", "close": "18:00"} for d in ("sat", "sun", "mon")]),
    provider_event("ct-donor-waiting", category="blood_donor", lat=24.462, lon=90.872, blood_group="B+",
                   last_donation_date="2026-11-20"),
    provider_event("ct-donor-ready", category="blood_donor", lat=24.463, lon=90.873, blood_group="B+",
                   last_donation_date="2025-01-10", phone_public=True),  # a donor nobody can call is never open
    provider_event("ct-off", category="carpenter", lat=24.464, lon=90.874, available=False,
                   address={"upazila": "karimganj"}),
]  # fmt: skip
PRODUCTS = [
    product_event("ct-ilish", title={"bn": "পদ্মার ইলিশ কনট্র্যাক্ট", "en": "Contract hilsa"}, category="fish",
                  price_bdt=1450.5, description={"bn": "তাজা ইলিশ"}, attributes={"weight_g": 900, "fresh": True,
                  "river": "padma"}, upazila="karimganj", location={"lat": 24.465, "lon": 90.875}),
    product_event("ct-goat", title={"bn": "কনট্র্যাক্ট ছাগল"}, price_bdt=15000, upazila="karimganj",
                  location={"lat": 24.466, "lon": 90.876}, seller_id="ct-farm",
                  livestock=livestock_facts(animal="goat", breed="black_bengal", live_weight_kg=20, sex="castrated")),
]  # fmt: skip
SELLER = seller_event("ct-farm", slug="ct-farm", location={"lat": 24.467, "lon": 90.877}, upazila="karimganj")


@dataclass(frozen=True)
class Answer:
    """One real answer and where it came from: the type it must have is the document's for these."""

    service: str  # "search" or "ingest"
    method: str
    path: str  # the OpenAPI path template
    status: int
    body: str  # the bytes the client got, as text

    def declaration(self, name: str) -> str:
        api = "SearchApi" if self.service == "search" else "IngestApi"
        operation = f'{api}["{self.path}"]["{self.method}"]'
        return f"export const {name}: Body<{operation}, {self.status}> = {self.body};\n"


async def capture(client: httpx.AsyncClient, service: str, method: str, path: str, url: str,
                  status: int, **kwargs: Any) -> Answer:  # fmt: skip
    response = await client.request(method.upper(), url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json"), response.headers
    return Answer(service, method, path, status, response.text)


@pytest.fixture(scope="module")
def indexed(ingest: ServiceProcess, producer, settings, engine) -> None:
    for event in PROVIDERS:
        produce(producer, settings.topic("providers"), event)
    for event in PRODUCTS:
        produce(producer, settings.topic("products"), event)
    produce(producer, settings.topic("sellers"), SELLER)

    def found(alias: str, ids: list[str]) -> bool:
        return all(d.get("found") for d in engine.mget(index=alias, body={"ids": ids})["docs"])

    wait_for(
        lambda: (
            found(settings.index_alias("providers"), [e["id"] for e in PROVIDERS])
            and found(settings.index_alias("products"), [e["id"] for e in PRODUCTS])
            and found(settings.index_alias("sellers"), [SELLER["id"]])
        ),
        timeout=60,
        what="the ct- documents to be indexed",
    )
    engine.indices.refresh(index=f"{settings.index_prefix}*")


async def search_answers(client: httpx.AsyncClient) -> list[Answer]:
    nearest, products = "/v1/providers/nearest", "/v1/products/search"
    answers = [
        await capture(client, "search", "get", nearest, nearest, 200, params={**KARIMGANJ, "radius_km": 2}),
        await capture(client, "search", "get", nearest, nearest, 200,
                      params={**KARIMGANJ, "q": "rokto lagbe b+ karimganj", "radius_km": 2}),
        await capture(client, "search", "get", nearest, nearest, 200,
                      params={**KARIMGANJ, "category": "carpenter", "radius_km": 2}),  # closed nearby only
        await capture(client, "search", "get", nearest, nearest, 200,
                      params={"lat": 24.0, "lon": 91.3, "category": "blood_donor", "radius_km": 1}),  # beyond
        await capture(client, "search", "get", nearest, nearest, 422, params={"lat": "north"}),
        await capture(client, "search", "get", products, products, 200,
                      params={"q": "কনট্র্যাক্ট ইলিশ", **KARIMGANJ, "radius_km": 5}),
        await capture(client, "search", "get", products, products, 200,
                      params={**KARIMGANJ, "radius_km": 2, "sort": "price_asc", "limit": 1}),
        await capture(client, "search", "get", products, products, 422, params={"sort": "distance"}),
        await capture(client, "search", "get", products, products, 200,
                      params={"category": "livestock", "seller": "ct-farm", "sort": "price_per_kg_asc"}),
        await capture(client, "search", "get", "/v1/sellers/nearest", "/v1/sellers/nearest", 200,
                      params={**KARIMGANJ, "radius_km": 2}),
        await capture(client, "search", "get", "/v1/sellers/{id_or_slug}", "/v1/sellers/ct-farm", 200),
        await capture(client, "search", "get", "/v1/sellers/{id_or_slug}", "/v1/sellers/nobody", 404),
        await capture(client, "search", "get", "/v1/suggest", "/v1/suggest", 200, params={"q": "ili"}),
        await capture(client, "search", "get", "/v1/suggest", "/v1/suggest", 200, params={"q": "ডা"}),
        await capture(client, "search", "get", "/v1/categories", "/v1/categories", 200),
        await capture(client, "search", "get", "/healthz", "/healthz", 200),
        await capture(client, "search", "get", "/readyz", "/readyz", 200),
    ]  # fmt: skip
    first_page = json.loads(answers[6].body)
    if first_page["next_cursor"]:
        answers.append(
            await capture(client, "search", "get", products, products, 200,
                          params={**KARIMGANJ, "radius_km": 2, "sort": "price_asc", "limit": 1,
                                  "cursor": first_page["next_cursor"]})
        )  # fmt: skip
    return answers


#: A clerk's file: one good row, one with a bad phone, and a column we do not know.
CLERK_CSV = (
    "id,name_bn,category,phone,lat,lon,upazila,rongo\r\n"
    "ct-csv-1,রহিম,barber,01712340001,24.4120,90.7950,kishoreganj-sadar,x\r\n"
    "ct-csv-2,করিম,barber,12345,24.4120,90.7950,kishoreganj-sadar,y\r\n"
).encode()


async def import_answers(client: httpx.AsyncClient) -> list[Answer]:
    providers, progress = "/v1/imports/providers", "/v1/imports/{import_id}"
    upload = {"headers": {**KEY, "Content-Type": "text/csv"}, "content": CLERK_CSV}
    answers = [
        await capture(client, "ingest", "post", providers, providers, 200, params={"dry_run": "true"}, **upload),
        await capture(client, "ingest", "post", providers, providers, 202, **upload),
        await capture(client, "ingest", "post", providers, providers, 415, headers={**KEY, "Content-Type": "image/png"},
                      content=b"\x89PNG"),
    ]  # fmt: skip
    import_id = json.loads(answers[1].body)["import_id"]

    async def finished() -> Answer | None:
        answer = await capture(
            client, "ingest", "get", progress, f"/v1/imports/{import_id}", 200, headers=KEY
        )
        return answer if json.loads(answer.body)["status"] != "accepted" else None

    done = None
    for _ in range(120):
        if (done := await finished()) is not None:
            break
        await asyncio.sleep(0.5)
    assert done is not None, "the import did not finish"
    return [*answers, done]


async def ingest_answers(client: httpx.AsyncClient) -> list[Answer]:
    synonyms, report = "/v1/synonyms", "/v1/reports/searches"
    added = await capture(client, "ingest", "post", synonyms, synonyms, 201, headers=KEY,
                          json={"words": ["কনট্র্যাক্ট মিস্ত্রি"], "category": "carpenter", "note": "contract test"})  # fmt: skip
    answers = [
        added,
        await capture(client, "ingest", "get", synonyms, synonyms, 200, headers=KEY),
        await capture(client, "ingest", "get", synonyms, synonyms, 401),
        await capture(client, "ingest", "get", report, report, 200, headers=KEY, params={"since": "30d"}),
        await capture(client, "ingest", "get", report, report, 422, headers=KEY, params={"since": "soon"}),
        await capture(client, "ingest", "get", "/healthz", "/healthz", 200),
        await capture(client, "ingest", "get", "/readyz", "/readyz", 200),
    ]
    await client.delete(f"{synonyms}/{json.loads(added.body)['id']}", headers=KEY)
    return answers


PRELUDE = """\
// Written by tests/integration/test_api_contract.py: real answers, typed by the generated clients.
import type { paths as SearchApi } from "./search-api";
import type { paths as IngestApi } from "./ingest-api";

/** The JSON body an operation declares for a status; never (so nothing fits) when it declares none. */
type Body<Operation, Status extends number> = Operation extends { responses: infer Responses }
  ? Status extends keyof Responses
    ? Responses[Status] extends { content: { "application/json": infer B } }
      ? B
      : never
    : never
  : never;

"""


def generate_client(name: str, document: dict[str, Any]) -> None:
    spec = WORK / f"{name}-openapi.json"
    spec.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    result = subprocess.run(
        [str(TOOLS / "openapi-typescript"), str(spec), "-o", str(WORK / f"{name}-api.d.ts")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def type_check(source: str, name: str) -> subprocess.CompletedProcess[str]:
    (WORK / f"{name}.ts").write_text(PRELUDE + source, encoding="utf-8")
    return subprocess.run(
        [str(TOOLS / "tsc"), "--noEmit", "--strict", "--target", "es2022", "--module", "esnext",
         "--moduleResolution", "bundler", str(WORK / f"{name}.ts")],
        capture_output=True, text=True, timeout=300, cwd=WORK,
    )  # fmt: skip


def without_first_id(body: str) -> str:
    """The answer with the first result's required `id` taken out: the control that must not type-check."""
    data = json.loads(body)
    del data["results"][0]["id"]
    return json.dumps(data, ensure_ascii=False)


async def test_generated_clients_accept_every_real_answer_and_refuse_a_broken_one(
    indexed, ingest: ServiceProcess, search_client: httpx.AsyncClient
) -> None:
    if not (TOOLS / "tsc").exists():
        pytest.fail("openapi-typescript and tsc are missing: run `make contract-tools` (make test does)")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    async with httpx.AsyncClient(base_url=ingest.url, timeout=30) as ingest_client:
        generate_client("search", (await search_client.get("/openapi.json")).json())
        generate_client("ingest", (await ingest_client.get("/openapi.json")).json())
        answers = [
            *await search_answers(search_client),
            *await ingest_answers(ingest_client),
            *await import_answers(ingest_client),
        ]

    # The answers really show what the types must cover: optional fields both present and absent.
    bodies = "\n".join(a.body for a in answers)
    for shown in ('"can_donate_from":"', '"can_donate_from":null', '"rating":', '"highlight":', '"distance_m":',
                  '"closed_nearby":[{', '"nearest_open_beyond":{', '"next_cursor":"', '"synonyms":[{',
                  '"message_bn":', '"letter":"H"', '"errors":[{', '"seller":{"id":"ct-farm"', '"livestock":{"animal"',
                  '"live_weight":[{'):  # fmt: skip
        assert shown in bodies, f"no answer shows {shown}"

    accepted = type_check("".join(a.declaration(f"answer{i}") for i, a in enumerate(answers)), "answers")
    assert accepted.returncode == 0, accepted.stdout[-6000:] + accepted.stderr[-2000:]

    broken = Answer(**{**answers[0].__dict__, "body": without_first_id(answers[0].body)})
    refused = type_check(broken.declaration("broken"), "control")
    assert refused.returncode != 0, "tsc accepted a provider without its id: the check cannot bite"
    assert re.search(r"Property 'id' is missing", refused.stdout), refused.stdout[-3000:]
