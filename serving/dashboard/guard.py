"""What keeps the dashboard to itself: its forms are taken only from its own pages (`own_forms`), its pages go
out with headers that keep them from being framed, sniffed or run with a script from elsewhere
(`SECURITY_HEADERS`), and the session cookie is sent back over HTTPS only once it was set over HTTPS
(`secure_cookie`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request

from core.settings import Settings
from serving.errors import ForbiddenError

# Sec-Fetch-Site of a form the dashboard takes: sent from its own pages, or typed/bookmarked by the user.
OWN_SITES = ("same-origin", "none")
DEFAULT_PORTS = {"http": 80, "https": 443}

# The pages load nothing from elsewhere, run no inline script and post their forms only to this server.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors' older form
    # same-origin, not no-referrer: under no-referrer a browser sends a form's Origin as 'null', which
    # `own_forms` must refuse; other sites (the helpdesk links) still learn no address of a page
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


async def own_forms(request: Request) -> None:
    """A POST a browser says comes from another origin is refused (403). SameSite=Strict keeps the cookie from
    other sites only: a page on a sibling subdomain (same site) could still post the forms. The browser says
    where a form comes from in Sec-Fetch-Site — over HTTPS and to localhost only: over plain HTTP to a host
    name it sends none, and the form's Origin must then be this server's (its Host). A client that sends
    neither (curl, a script) is not judged by them."""
    if request.method != "POST":
        return
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        if site not in OWN_SITES:
            raise ForbiddenError(f"Sec-Fetch-Site: {site[:40]!r}: the dashboard takes a form only from its "
                                 "own pages (same-origin); open the dashboard at its own address and send "
                                 "the form from there")
        return
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    if origin is not None and not same_host(origin, host):
        raise ForbiddenError(f"Origin: {origin[:80]!r} is not this server's address ({host[:80]!r}): the "
                             "dashboard takes a form only from its own pages; open the dashboard at its own "
                             "address and send the form from there (a reverse proxy must pass the Host "
                             "header on)")


def same_host(origin: str, host: str) -> bool:
    """Whether a browser's Origin ('http://escalation.example:8000'; 'null' for an opaque one) names the host
    and port of the Host header, a port left out being the scheme's default."""
    try:
        sent, own = urlsplit(origin), urlsplit(f"//{host}")
        default = DEFAULT_PORTS.get(sent.scheme)
        return (sent.scheme in DEFAULT_PORTS and sent.hostname is not None
                and (sent.hostname, sent.port or default) == (own.hostname, own.port or default))
    except ValueError:  # a port that is no number
        return False


def secure_cookie(request: Request, settings: Settings) -> bool:
    """Whether the session cookie is Secure: dashboard.secure_cookie, or the login came over HTTPS (served
    with TLS, or from a trusted proxy saying X-Forwarded-Proto: https) — a cookie set over HTTPS without it
    would also be sent over plain HTTP to the same host, for anyone on the way to read."""
    return settings.dashboard.secure_cookie or request.url.scheme == "https"
