"""API keys with roles, and the development keys."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from core.settings.section import Section


class ApiKey(Section):
    """One API key. Give `key_sha256` (hex SHA-256 of the key) in production so that the key itself is
    stored nowhere; `key` (plain) is for development. Keys are never logged."""

    name: str = Field(min_length=1)
    role: Literal["integration", "manager", "admin"]
    key: SecretStr | None = None
    key_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$",
                                   description="the hex SHA-256 of the key, 64 characters of 0-9 and a-f")

    @model_validator(mode="after")
    def _one_key(self) -> ApiKey:
        given = self.key is not None and bool(self.key.get_secret_value())
        if self.key_sha256 and given:
            raise ValueError(f"the key {self.name!r} has both key_sha256 and key; give one")
        if not self.key_sha256 and not given:  # skipped, it let no one in, and said so nowhere
            raise ValueError(f"the key {self.name!r} has neither key_sha256 nor key; give key_sha256 (the "
                             "hex SHA-256 of the key), or key in development")
        return self

    def digest(self) -> bytes:
        """The key's SHA-256: what a presented key is compared with."""
        if self.key_sha256:
            return bytes.fromhex(self.key_sha256)
        return hashlib.sha256((self.key.get_secret_value() if self.key else "").encode()).digest()


# Development defaults, documented in docs/api.md: replace them (ESCALATION_SERVING__API_KEYS) anywhere real.
DEV_API_KEYS = [
    ApiKey(name="dev-integration", role="integration", key=SecretStr("dev-integration-key")),
    ApiKey(name="dev-manager", role="manager", key=SecretStr("dev-manager-key")),
    ApiKey(name="dev-admin", role="admin", key=SecretStr("dev-admin-key")),
]
