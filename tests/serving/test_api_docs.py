"""/docs and /redoc load their scripts from this server (an installed package's copies), never a CDN, and the
OpenAPI states the API-key scheme so "Authorize" and generated clients send the key; docs/api.md names every
keyed operation under its role and every field of an assessment."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

import serving.routes
from core.assessment import TicketAssessment

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




def test_every_operation_is_in_the_roles_table_under_its_role() -> None:
    """docs/api.md's table of roles is where an integrator looks up which key an operation takes; the snooze
    operations were missing from it."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in docs.splitlines() if line.startswith("| `")}
    missing, seen = [], 0
    for module in pkgutil.iter_modules(serving.routes.__path__):
        router = getattr(importlib.import_module(f"serving.routes.{module.name}"), "router", None)
        for route in getattr(router, "routes", []):
            if not isinstance(route, APIRoute) or not route.path.startswith("/v1/"):
                continue
            for role in roles_of(route.dependant):
                for method in route.methods:
                    seen += 1
                    named = f"`{method} {route.path.replace('{ticket_id}', '{id}')}`"
                    if named not in rows.get(role, ""):
                        missing.append(f"{named} ({role})")
    assert seen >= 12 and not missing, f"add to docs/api.md's roles table: {missing}"


def roles_of(dependant: Dependant) -> set[str]:
    """The roles `serving.deps.require` was given for the operation (none: no key, the helpdesks' webhook)."""
    found: set[str] = set()
    for dependency in dependant.dependencies:
        call = dependency.call
        if getattr(call, "__qualname__", "") == "require.<locals>.dependency":
            found |= set(inspect.getclosurevars(call).nonlocals["roles"])
        found |= roles_of(dependency)
    return found


def test_every_field_of_an_assessment_is_in_its_section_of_the_docs() -> None:
    """docs/api.md's "The assessment" is where an integrator reads what the answer holds; `ticket_id`,
    `assessed_at` and `thresholds` were answered and not named there."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    section = docs.split("### The assessment", 1)[1].split("\n### ", 1)[0]
    missing = [name for name in TicketAssessment.model_fields if not re.search(f"`{name}[`:]", section)]
    assert not missing, f"name these in docs/api.md's 'The assessment': {missing}"
