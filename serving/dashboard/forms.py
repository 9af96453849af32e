"""A dashboard form's fields, read from its body (application/x-www-form-urlencoded). The forms are small —
the longest holds a 2,000-character note or comment — so a body past FORM_MAX_BYTES or with more than
FORM_MAX_FIELDS fields is refused before it is parsed: the parsing runs in the event loop, and the login form
takes anyone's post (1 MB of 250,000 fields took half a second to parse, every other request waiting)."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import Request

from serving.errors import InputError, PayloadTooLargeError

# a 2,000-character text of 4-byte characters, percent-encoded, is 24,000 bytes; the other fields are short
FORM_MAX_BYTES = 64 * 1024
FORM_MAX_FIELDS = 20  # the forms send at most a handful


async def read_form(request: Request) -> dict[str, list[str]]:
    """The form's fields by name (each a list, as a name may repeat); 413 or 422 naming the limit."""
    body = await request.body()
    if len(body) > FORM_MAX_BYTES:
        raise PayloadTooLargeError(f"form: {len(body)} bytes; a dashboard form is at most {FORM_MAX_BYTES} "
                                   "bytes — send it from the dashboard's page")
    try:
        return parse_qs(body.decode("utf-8", "replace"), max_num_fields=FORM_MAX_FIELDS)
    except ValueError:  # parse_qs: "Max number of fields exceeded"
        raise InputError(f"form: more than {FORM_MAX_FIELDS} fields; a dashboard form sends at most "
                         f"{FORM_MAX_FIELDS} — send it from the dashboard's page") from None
