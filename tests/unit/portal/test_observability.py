"""Unhandled errors at the edge: JSON, a request id, nothing internal."""

from __future__ import annotations


async def test_a_bug_answers_json_500_with_the_request_id_and_no_trace():
    import httpx

    from portal.observability import RequestObservability

    async def broken(scope, receive, send):
        raise RuntimeError("secret engine detail")

    transport = httpx.ASGITransport(app=RequestObservability(broken), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/x", headers={"X-Request-ID": "req-7"})
    assert response.status_code == 500
    assert response.json()["error"] == "internal_error"
    assert "req-7" in response.json()["message"]
    assert "secret" not in response.text
    assert response.headers["x-request-id"] == "req-7"
