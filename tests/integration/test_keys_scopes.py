"""Keys with names and scopes, on a real ingest-service (issue 21, item 4; issue 24, item 3).

A key from the keys file can do what its scopes say and nothing else (403, the one body, in both
languages); every route that needs a key answers the same 401; a key's name — never its secret — is what
the records show. IMPORT_API_KEYS keeps working, with every scope.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from harness.service_process import ServiceProcess

pytestmark = pytest.mark.integration

SECRETS = {
    "clerk-import": "k-import-3f9a0c1d",
    "clerk-import-2": "k-import-77aa01bd",
    "clerk-synonyms": "k-synonyms-8c1d77e0",
    "report-screen": "k-reports-51be02aa",
    "auditor": "k-read-imports-c0ffee11",
}
KEYS_FILE = f"""# name          scopes          key
clerk-import    import          {SECRETS["clerk-import"]}
clerk-import-2  import          {SECRETS["clerk-import-2"]}
clerk-synonyms  synonyms        {SECRETS["clerk-synonyms"]}
report-screen   reports         {SECRETS["report-screen"]}
auditor         read-imports    {SECRETS["auditor"]}
"""
CSV_ROW = (
    "id,name_bn,category,phone,lat,lon,upazila\r\n"
    "keys-1,মোঃ রফিকুল ইসলাম,electrician,01712-345678,24.44,90.785,bhairab\r\n"
).encode()


def key(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {SECRETS[name]}"}


@pytest.fixture(scope="module")
def scoped(
    make_ingest: Callable[..., ServiceProcess], tmp_path_factory: pytest.TempPathFactory
) -> ServiceProcess:
    path = tmp_path_factory.mktemp("keys") / "api-keys"
    path.write_text(KEYS_FILE)
    return make_ingest(
        IMPORT_API_KEYS="legacy-full-key", IMPORT_API_KEYS_FILE=str(path), CONSUMER_ENABLED="false"
    ).start()


def dry_import(service: ServiceProcess, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(
        f"{service.url}/v1/imports/providers",
        params={"dry_run": "true"},
        content=CSV_ROW,
        headers={**headers, "Content-Type": "text/csv"},
        timeout=60,
    )


REQUESTS: dict[str, Callable[[ServiceProcess, dict[str, str]], httpx.Response]] = {
    "import": dry_import,
    "synonyms": lambda s, h: httpx.get(f"{s.url}/v1/synonyms", headers=h, timeout=30),
    "reports": lambda s, h: httpx.get(f"{s.url}/v1/reports/searches", headers=h, timeout=30),
    "read-imports": lambda s, h: httpx.get(f"{s.url}/v1/imports/no-such-import", headers=h, timeout=30),
}
#: What each key's request gets when its scope allows it (a dry run 200, an unknown import 404).
ALLOWED = {"import": 200, "synonyms": 200, "reports": 200, "read-imports": 404}
HOLDS = {
    "clerk-import": {"import", "read-imports"},  # its own imports: the 404 of an unknown one
    "clerk-synonyms": {"synonyms"},
    "report-screen": {"reports"},
    "auditor": {"read-imports"},
}


@pytest.mark.parametrize("holder", sorted(HOLDS))
@pytest.mark.parametrize("scope", sorted(REQUESTS))
def test_a_scoped_key_does_what_its_scopes_say_and_nothing_else(scoped, holder, scope):
    response = REQUESTS[scope](scoped, key(holder))
    if scope in HOLDS[holder]:
        assert response.status_code == ALLOWED[scope], response.text
        return
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["error"] == "forbidden" and body["details"]["key"] == holder
    assert body["message"] and body["message_bn"] and holder in body["message"]
    assert SECRETS[holder] not in response.text


def test_import_api_keys_still_hold_every_scope(scoped):
    for scope, send in REQUESTS.items():
        assert send(scoped, {"Authorization": "Bearer legacy-full-key"}).status_code == ALLOWED[scope], scope


def test_every_route_that_needs_a_key_answers_one_401(scoped):
    answers = [send(scoped, {"Authorization": "Bearer not-a-key"}) for send in REQUESTS.values()]
    answers += [send(scoped, {}) for send in REQUESTS.values()]
    answers.append(httpx.delete(f"{scoped.url}/v1/synonyms/x", timeout=30))
    answers.append(httpx.get(f"{scoped.url}/v1/imports/x/errors.csv", timeout=30))
    assert {a.status_code for a in answers} == {401}
    bodies = {a.text for a in answers}
    assert len(bodies) == 1, bodies
    body = answers[0].json()
    assert body["error"] == "unauthorized" and "Bearer <key>" in body["message"] and body["message_bn"]
    assert {a.headers["www-authenticate"] for a in answers} == {"Bearer"}


def test_a_synonym_change_records_the_key_s_name_and_time_never_its_secret(scoped):
    added = httpx.post(
        f"{scoped.url}/v1/synonyms",
        headers=key("clerk-synonyms"),
        json={"words": ["ঝাড়ুদারনি-keys"], "category": "cleaner", "created_by": "someone-else"},
        timeout=30,
    )
    assert added.status_code == 201, added.text
    assert added.json()["created_by"] == "clerk-synonyms" and added.json()["created_at"]
    id = added.json()["id"]
    listed = httpx.get(f"{scoped.url}/v1/synonyms", headers=key("clerk-synonyms"), timeout=30).json()
    [mine] = [s for s in listed["synonyms"] if s["id"] == id]
    assert mine["created_by"] == "clerk-synonyms"
    removed = httpx.delete(
        f"{scoped.url}/v1/synonyms/{id}", headers={"Authorization": "Bearer legacy-full-key"}, timeout=30
    )
    assert removed.status_code == 204
    listed = httpx.get(f"{scoped.url}/v1/synonyms", headers=key("clerk-synonyms"), timeout=30)
    assert id not in {s["id"] for s in listed.json()["synonyms"]}
    [gone] = [s for s in listed.json()["removed"] if s["id"] == id]
    assert gone["created_by"] == "clerk-synonyms" and gone["removed_at"]
    assert gone["removed_by"].startswith("key-"), "a key of IMPORT_API_KEYS is named by its fingerprint"
    assert not any(secret in listed.text for secret in [*SECRETS.values(), "legacy-full-key"])


def test_an_import_records_its_key_and_only_read_imports_reads_another_s(scoped):
    started = dry_import(scoped, key("clerk-import"))
    assert started.status_code == 200, started.text
    status = f"{scoped.url}/v1/imports/{started.json()['import_id']}"
    own = httpx.get(status, headers=key("clerk-import"), timeout=30)
    assert own.status_code == 200 and own.json()["started_by"] == "clerk-import"
    assert httpx.get(status, headers=key("auditor"), timeout=30).status_code == 200
    other = httpx.get(status, headers=key("clerk-import-2"), timeout=30)
    assert other.status_code == 403 and other.json()["details"]["scope"] == "read-imports"
    assert httpx.get(f"{status}/errors.csv", headers=key("clerk-import-2"), timeout=30).status_code == 403
