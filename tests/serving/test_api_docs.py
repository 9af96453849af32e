"""/docs and /redoc load their scripts from this server (an installed package's copies), never a CDN, and the
OpenAPI states the API-key scheme so "Authorize" and generated clients send the key."""

from __future__ import annotations

import re

SRC = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url:\s*'([^']+)'""")


def referenced(html: str) -> list[str]:
    return [a or b for a, b in SRC.findall(html)]


def test_the_docs_pages_reference_only_this_server(server: object) -> None:
    with server.client() as client:  # type: ignore[attr-defined]
        for page, asset in (("/docs", "/docs-assets/swagger-ui-bundle.js"),
                            ("/redoc", "/docs-assets/redoc.standalone.js")):
            r = client.get(page)
            assert r.status_code == 200 and "text/html" in r.headers["content-type"]
            urls = referenced(r.text)
            assert asset in urls, urls
            assert not [u for u in urls if u.startswith(("http:", "https:", "//"))], urls
            script = client.get(asset)
            assert script.status_code == 200 and len(script.content) > 100_000
            assert "javascript" in script.headers["content-type"]
        assert client.get("/docs-assets/swagger-ui.css").status_code == 200


def test_the_openapi_states_the_api_key_scheme(server: object) -> None:
    with server.client() as client:  # type: ignore[attr-defined]
        schema = client.get("/openapi.json").json()
    scheme = schema["components"]["securitySchemes"]["ApiKey"]
    assert scheme["type"] == "apiKey" and scheme["in"] == "header" and scheme["name"] == "X-API-Key"
    for path, method in (("/v1/tickets/{ticket_id}/events", "post"), ("/v1/early-warning", "get")):
        operation = schema["paths"][path][method]
        assert operation["security"] == [{"ApiKey": []}]
        # the key is the scheme's, not a parameter of each operation
        assert all(p["name"].lower() != "x-api-key" for p in operation.get("parameters", []))


def test_a_key_sent_as_the_scheme_says_is_accepted(server: object) -> None:
    with server.client() as client:  # type: ignore[attr-defined]
        assert client.get("/v1/early-warning").status_code == 401
        r = client.get("/v1/early-warning", headers={"X-API-Key": "dev-manager-key"})
        assert r.status_code == 200, r.text


