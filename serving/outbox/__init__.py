"""The outbox worker: delivers what the store enqueued (fired actions, raised alerts) to webhooks signed with
HMAC-SHA256, a log, and e-mail when configured, and assessments' write-backs to helpdesks (writeback.py);
retries failed sinks with exponential backoff and jitter, honours Retry-After, and records every attempt on
the delivery row."""

from serving.outbox.signing import SIGNATURE_HEADER, sign, verify
from serving.outbox.sinks import (
           DeliveryFailedError,
           EmailSink,
           LogSink,
           Message,
           Sink,
           WebhookSink,
           sinks_from,
)
from serving.outbox.worker import OutboxWorker, backoff

__all__ = ["SIGNATURE_HEADER", "DeliveryFailedError", "EmailSink", "LogSink", "Message", "OutboxWorker",
           "Sink", "WebhookSink", "backoff", "sign", "sinks_from", "verify"]
