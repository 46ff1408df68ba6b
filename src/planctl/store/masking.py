"""Passwords out of sight: the one way a store URL is shown in messages and settings."""

from __future__ import annotations

MASK = "********"
"""What is shown instead of a password."""


def mask_url(value: str) -> str:
    """A URL with the password between `user:` and `@` replaced by `********`; a plain path,
    or a URL without a password, unchanged. Works on text that does not parse as a URL too,
    since a message about a bad URL must not print its password either."""
    scheme, separator, rest = value.partition("://")
    if not separator:
        return value
    # The last `@`, not the first `/`: a password may hold an unencoded `/` (masking too much
    # is harmless, showing part of a password is not).
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return value
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:{MASK}@{host}"
