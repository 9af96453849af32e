"""The dashboard's guard over real HTTP and a real browser: every form is refused from another origin also
where the browser sends no Sec-Fetch-Site (plain HTTP to a host name), and taken from the dashboard's own
pages; the pages' headers; the session cookie Secure once the login came over HTTPS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute

from serving.dashboard.guard import same_host
from serving.dashboard.routes import router
from tests.raw_server import answer, raw_server
from tests.serving.conftest import Server, quiet_settings, start_server
from tests.serving.dashboard.browser import Chromium
from tests.serving.dashboard.conftest import HOT, MANAGER_KEY

# every form of the dashboard (its POST routes), with a body it takes
FORM_BODIES = {"/dashboard/login": {"api_key": MANAGER_KEY}, "/dashboard/tickets/{ticket_id}/feedback": {
    "verdict": "useful"}, "/dashboard/tickets/{ticket_id}/snooze": {"for": "1h"},
    "/dashboard/tickets/{ticket_id}/root-cause": {"cause": "other", "owning_team": "billing"}}
FORMS = sorted(r.path for r in router.routes if isinstance(r, APIRoute) and "POST" in r.methods)


@pytest.fixture
def manager(board_server: Server) -> Iterator[httpx.Client]:
    with board_server.client() as c:
        assert c.post("/dashboard/login", data={"api_key": MANAGER_KEY}).status_code == 303
        yield c


def test_every_form_is_known_here() -> None:
    assert len(FORMS) >= 6
    assert "/dashboard/logout" in FORMS and "/dashboard/tickets/{ticket_id}/unsnooze" in FORMS


@pytest.mark.parametrize("origin", ["http://wiki.example.com", "null", "http://127.0.0.1:1", "https://127.0.0.1"])
@pytest.mark.parametrize("path", FORMS)
def test_a_form_from_another_origin_is_403_without_sec_fetch_site(
        manager: httpx.Client, path: str, origin: str) -> None:
    """Over plain HTTP to a host name a browser sends no Sec-Fetch-Site: the form's Origin says where it came
    from ('null' from a page that sends no referrer). A sibling subdomain's page gets the SameSite=Strict
    cookie sent and could log the manager out or record verdicts in their name."""
    cookie = manager.cookies["escalation_session"]
    host = manager.base_url.netloc.decode()
    r = manager.post(path.replace("{ticket_id}", HOT), data=FORM_BODIES.get(path, {}),
                     headers={"Origin": origin})
    assert r.status_code == 403, r.text
    assert r.json() == {"error": "forbidden", "detail": (
        f"Origin: {origin!r} is not this server's address ({host!r}): the dashboard takes a form only from "
        "its own pages; open the dashboard at its own address and send the form from there (a reverse proxy "
        "must pass the Host header on)")}
    assert "set-cookie" not in r.headers and manager.cookies["escalation_session"] == cookie
    assert manager.get("/dashboard").status_code == 200  # still logged in: a logout from elsewhere is refused


def test_a_form_from_the_dashboards_own_origin_is_taken(manager: httpx.Client) -> None:
    own = {"Origin": str(manager.base_url).rstrip("/")}
    r = manager.post(f"/dashboard/tickets/{HOT}/feedback", data={"verdict": "useful"}, headers=own)
    assert r.status_code == 303 and "recorded=" in r.headers["location"], r.text
    assert manager.post("/dashboard/logout", headers=own).status_code == 303
    assert manager.get("/dashboard").status_code == 303  # logged out


@pytest.mark.parametrize(("origin", "host", "same"), [
    ("http://escalation.example:8000", "escalation.example:8000", True),
    ("http://Escalation.Example:8000", "escalation.example:8000", True),
    ("https://escalation.example", "escalation.example", True),
    ("https://escalation.example", "escalation.example:443", True),
    ("http://escalation.example:80", "escalation.example", True),
    ("http://[::1]:8000", "[::1]:8000", True),
    ("http://escalation.example:8001", "escalation.example:8000", False),
    ("https://escalation.example", "escalation.example:80", False),
    ("http://wiki.escalation.example", "escalation.example", False),
    ("http://escalation.example.evil.test", "escalation.example", False),
    ("null", "escalation.example", False),
    ("file://", "escalation.example", False),
    ("http://escalation.example:99999999", "escalation.example", False),
    ("http://escalation.example:x", "escalation.example", False),
    ("http://escalation.example", "", False),
])
def test_an_origin_is_the_servers_when_host_and_port_are(origin: str, host: str, same: bool) -> None:
    assert same_host(origin, host) is same


@pytest.mark.parametrize("path", ["/dashboard/login", "/dashboard", f"/dashboard/tickets/{HOT}",
                                  "/dashboard/tickets/NO-SUCH", "/dashboard/kpis"])
def test_pages_are_not_framed_sniffed_or_sent_elsewhere(
        board_server: Server, manager: httpx.Client, path: str) -> None:
    r = manager.get(path) if path != "/dashboard/login" else httpx.get(board_server.url + path)
    assert r.status_code in (200, 404) and "text/html" in r.headers["content-type"]
    policy = [p.strip() for p in r.headers["content-security-policy"].split(";")]
    wanted = {"default-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"}
    assert wanted <= set(policy), policy
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    # same-origin: the dashboard's own forms carry their Origin (under no-referrer it was 'null')
    assert r.headers["referrer-policy"] == "same-origin"


def test_the_cookie_is_secure_once_the_login_came_over_https(board_server: Server) -> None:
    """uvicorn takes the scheme from X-Forwarded-Proto when the proxy is local, as here (a TLS proxy)."""
    with board_server.client() as c:
        plain = c.post("/dashboard/login", data={"api_key": MANAGER_KEY})
        assert plain.status_code == 303 and "secure" not in plain.headers["set-cookie"].lower()
        proxied = {"X-Forwarded-Proto": "https"}
        tls = c.post("/dashboard/login", data={"api_key": MANAGER_KEY}, headers=proxied)
        assert tls.status_code == 303 and "; Secure" in tls.headers["set-cookie"]
        cookie = tls.cookies["escalation_session"]
    with httpx.Client(base_url=board_server.url, cookies={"escalation_session": cookie}) as c:
        out = c.post("/dashboard/logout", headers={"X-Forwarded-Proto": "https"})
        assert out.status_code == 303 and "Max-Age=0" in out.headers["set-cookie"]
        assert "; Secure" in out.headers["set-cookie"]  # a Secure cookie is cleared by a Secure one


OWN_MANAGER_KEY = "a-teams-own-manager-key-0123456789"


@pytest.fixture
def named_server(tmp_path: Path) -> Iterator[Server]:
    """A server with its own keys: with the development keys it answers loopback names only (dev_hosts.py)."""
    keys = [{"name": "ops", "role": "manager", "key": OWN_MANAGER_KEY}]
    yield from start_server(quiet_settings(tmp_path / "store", serving={"api_keys": keys}))


def test_a_sibling_subdomains_page_cannot_post_a_form_over_plain_http(
        chromium_path: str, named_server: Server, tmp_path: Path) -> None:
    """The attack end to end: the dashboard at http://escalation.test (no TLS, so Chromium sends no
    Sec-Fetch-Site), a page of http://wiki.escalation.test (same site: the Strict cookie goes along) posting
    the logout form as soon as it loads. The dashboard's own login form over the same plain HTTP is taken."""
    port = named_server.url.rsplit(":", 1)[1]
    dashboard = f"http://escalation.test:{port}"
    forged = (f'<!doctype html><meta name="referrer" content="no-referrer"><form method="post" '
              f'action="{dashboard}/dashboard/logout"></form><script>document.forms[0].submit()</script>')
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(forged)}\r\n"
            "Connection: close\r\n\r\n").encode()
    with raw_server(answer(head, lambda: [forged.encode()])) as wiki_url:
        wiki = wiki_url.replace("127.0.0.1", "wiki.escalation.test")
        rules = "--host-resolver-rules=MAP escalation.test 127.0.0.1, MAP wiki.escalation.test 127.0.0.1"
        chromium = Chromium(chromium_path, tmp_path / "profile", flags=[rules])
        try:
            page = chromium.page
            page.goto(f"{dashboard}/dashboard/login")
            page.type("#api_key", OWN_MANAGER_KEY)
            page.click("form[action='/dashboard/login'] button[type=submit]")
            page.wait_for("location.pathname === '/dashboard' && !!document.querySelector('#board')",
                          what="the board after logging in over plain HTTP")
            page.send("Page.navigate", {"url": f"{wiki}/"})
            # refused by its Origin (Chromium sends no Sec-Fetch-Site here), or by Sec-Fetch-Site if ever sent
            page.wait_for(f"location.href === {dashboard + '/dashboard/logout'!r} && "
                          "document.body.innerText.includes('the dashboard takes a form only from')",
                          what="the forged logout refused (403)")
            page.goto(f"{dashboard}/dashboard")
            assert page.evaluate("location.pathname") == "/dashboard"  # still logged in
        finally:
            chromium.close()
