"""Where a store is: a SQLite file, or a SQLAlchemy URL (PostgreSQL for a shared store).

Without SQLAlchemy for a path, so that a read command on a SQLite file can tell where its
store is without importing it; a URL is parsed by SQLAlchemy itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from planctl import frozen
from planctl.errors import StoreError
from planctl.i18n import _
from planctl.store.masking import mask_url


@frozen(slots=False)
class StoreLocation:
    """Where the store is: a SQLAlchemy URL, and the SQLite file behind it if there is one."""

    url: str
    sqlite_file: Path | None

    @classmethod
    def parse(cls, value: str) -> StoreLocation:
        """A path becomes a SQLite file; anything with `://` is taken as a SQLAlchemy URL."""
        if "://" not in value:
            path = Path(value).expanduser()
            return cls(f"sqlite:///{path}", path)
        import sqlalchemy as sa
        from sqlalchemy import exc as sa_exc

        try:
            url = sa.make_url(value)
            url.port  # noqa: B018 - parsing the port is lazy; a bad one must fail here
        except (sa_exc.ArgumentError, ValueError):
            raise StoreError(_("not a store URL: {url}").format(url=mask_url(value))) from None
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return cls(value, Path(url.database or ""))
        return cls(value, None)

    def display(self) -> str:
        """The location without any password, for messages."""
        if self.sqlite_file is not None:
            return str(self.sqlite_file)
        return mask_url(self.url)


def check_store_directory(directory: Path) -> None:
    """Refuse the default store's directory unless it is owned by the user and writable by
    nobody else: whoever can write it can replace the store, or make it before planctl does
    (0666) and read and rewrite the log. A missing directory is fine (planctl makes it 0700)."""
    try:
        status = directory.stat()
    except OSError:
        return  # missing, or unreadable: creating or opening the store says why
    if status.st_uid != os.getuid():
        raise StoreError(
            _(
                "the store directory {directory} belongs to another user (uid {uid});"
                " remove it or give --db PATH"
            ).format(directory=directory, uid=status.st_uid)
        )
    if status.st_mode & 0o022:
        raise StoreError(
            _(
                "the store directory {directory} is writable by others; run chmod 700 {directory}"
            ).format(directory=directory)
        )
