"""What every long-running command logs."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from core.settings.section import Section


class LoggingSettings(Section):
    """What every long-running command logs (docs/api.md, "Logs"): ids, counts and versions, never message
    text, customer data, keys or SQL parameters."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    format: Literal["text", "json"] = "text"  # json: one object a line (time, level, logger, message)

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value
