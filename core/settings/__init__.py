"""The one typed settings object (`Settings`, read once by `get_settings`) and its sections, one module each.
Environment variables `ESCALATION_*` (nested sections with `__`, e.g. `ESCALATION_SERVER__PORT=9000`)
override the embedded defaults; nothing else reads os.environ. Import from here: `from core.settings import
Settings`."""

from core.settings.dashboard import DashboardSettings
from core.settings.helpdesks import HelpdeskSettings, HelpdeskWebhook
from core.settings.keys import DEV_API_KEYS, ApiKey
from core.settings.logs import LoggingSettings
from core.settings.metrics import MetricsSettings
from core.settings.outbox import LEASE_MARGIN, EmailSettings, OutboxSettings, WebhookTarget
from core.settings.paths import PathSettings
from core.settings.root import ALIASES, Settings, get_settings
from core.settings.section import PROJECT_ROOT, Section, TimeZoneName
from core.settings.sentiment import SentimentSettings
from core.settings.server import ServerSettings
from core.settings.serving import DEFAULT_ROOT_CAUSES, REGISTRY_ALIAS, ROOT_CAUSE_SLUG, ServingSettings
from core.settings.store import STORE_URL_FORMS, StoreSettings, checked_store_url
from core.settings.sweeper import SweeperSettings
from core.settings.text import TextSettings
from core.settings.writeback import (
    FreshdeskWriteback,
    HelpdeskWriteback,
    WritebackSettings,
    ZammadWriteback,
    ZendeskWriteback,
)

__all__ = [
    "ALIASES",
    "DEFAULT_ROOT_CAUSES",
    "DEV_API_KEYS",
    "LEASE_MARGIN",
    "PROJECT_ROOT",
    "REGISTRY_ALIAS",
    "ROOT_CAUSE_SLUG",
    "STORE_URL_FORMS",
    "ApiKey",
    "DashboardSettings",
    "EmailSettings",
    "FreshdeskWriteback",
    "HelpdeskSettings",
    "HelpdeskWebhook",
    "HelpdeskWriteback",
    "LoggingSettings",
    "MetricsSettings",
    "OutboxSettings",
    "PathSettings",
    "Section",
    "SentimentSettings",
    "ServerSettings",
    "ServingSettings",
    "Settings",
    "StoreSettings",
    "SweeperSettings",
    "TextSettings",
    "TimeZoneName",
    "WebhookTarget",
    "WritebackSettings",
    "ZammadWriteback",
    "ZendeskWriteback",
    "checked_store_url",
    "get_settings",
]
