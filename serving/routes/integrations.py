"""Helpdesk webhooks: POST /v1/integrations/{zendesk|freshdesk|zammad} (docs/helpdesks/). The helpdesk proves
itself with its signature or shared secret, not an API key (it cannot carry ours); the payload is mapped by
`helpdesks` and ingested as POST /v1/tickets/{id}/events would; the answer is the ticket's assessment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from core.assessment import Ingested
from core.errors import NotFoundError
from helpdesks.common import Vendor
from helpdesks.payload import parse_json
from helpdesks.signatures import request_headers, verify
from helpdesks.vendors import config_of, map_webhook
from serving.deps import AppSettingsDep, ClockDep, ServiceDep
from serving.schemas import ErrorOut

router = APIRouter(prefix="/v1/integrations", tags=["integrations"])
ERRORS: dict[int | str, dict[str, Any]] = {c: {"model": ErrorOut} for c in (401, 404, 409, 413, 422)}
# the body is the helpdesk's own JSON (docs/helpdesks/), read raw: its signature covers the exact bytes
RAW_JSON = {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": {"type": "object"}}}}}


@router.post("/{vendor}", response_model=Ingested, responses=ERRORS, openapi_extra=RAW_JSON)
async def post_webhook(
    vendor: Vendor, request: Request, service: ServiceDep, settings: AppSettingsDep, clock: ClockDep
) -> Ingested:
    """A helpdesk's webhook in its own format (docs/helpdesks/{vendor}.md). 401: signature or secret missing
    or wrong; 404: this helpdesk's webhook secret is not configured; 422: a value that cannot be mapped,
    named by its path in the payload. A webhook sent again is stored once; a Zendesk signature more than
    five minutes old is refused (401) like a wrong one."""
    secret = config_of(vendor, settings).webhook_secret
    if secret is None:
        raise NotFoundError(
            f"the {vendor.value} integration is off: set ESCALATION_HELPDESKS__{vendor.name}__WEBHOOK_SECRET "
            f"to the webhook's secret and restart (docs/helpdesks/{vendor.value}.md)")
    body = await request.body()
    verify(vendor, secret.get_secret_value(), request_headers(request.headers.raw), body, now=clock())
    mapped = map_webhook(vendor, parse_json(body), settings)
    return await run_in_threadpool(service.ingest_webhook, mapped)
