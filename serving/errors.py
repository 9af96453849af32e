"""Serving's errors: members of the one family (core.errors.EscalationError), each with its HTTP status.
`app.install_error_handlers` maps them once to `{"error": …, "detail": …}`."""

from __future__ import annotations

from core.errors import ConfigError, EscalationError, NotFoundError
from helpdesks.payload import PayloadError, SignatureError


class ServingError(EscalationError):
    status = 400
    code = "bad_request"


class AuthError(ServingError):
    status, code = 401, "unauthorized"


class ForbiddenError(ServingError):
    status, code = 403, "forbidden"


class ConflictError(ServingError):
    status, code = 409, "conflict"


class PayloadTooLargeError(ServingError):
    status, code = 413, "payload_too_large"


class InputError(ServingError):
    """A request that parses but breaks a limit or a rule; the message names the field."""

    status, code = 422, "invalid_request"


class NotReadyError(ServingError):
    status, code = 503, "not_ready"


class StoreUnavailableError(ServingError):
    """The ticket store did not answer (the database is down, restarting, unreachable, or a SQLite file stayed
    locked): a request is answered 503 with Retry-After, and nothing it carried was stored."""

    status, code = 503, "store_unavailable"
    retry_after_s = 5


class ModelLoadError(ServingError):
    """A model (re)load that failed: the model being served stays (serving/model_loads.py)."""

    status, code = 502, "model_not_loaded"


class PolicyLoadError(ServingError):
    """A policy file reload that failed (POST /v1/admin/reload): the policies in force stay."""

    status, code = 502, "policies_not_loaded"


class ServerStartError(EscalationError):
    """`escalation serve`: a server process did not start (the reason is logged); nothing serves."""


def status_of(exc: EscalationError) -> tuple[int, str]:
    """The HTTP status and error code of any error of the family."""
    if isinstance(exc, ServingError):
        return exc.status, exc.code
    if isinstance(exc, PayloadError):  # a helpdesk's webhook that cannot be mapped: the path is in the detail
        return 422, "invalid_request"
    if isinstance(exc, SignatureError):
        return 401, "unauthorized"
    if isinstance(exc, NotFoundError):
        return 404, "not_found"
    if isinstance(exc, ConfigError):
        return 500, "configuration_error"
    return 500, "internal_error"
