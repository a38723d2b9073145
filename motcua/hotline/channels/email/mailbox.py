"""Collecting citizens' mail from the hotline's IMAP mailbox (``hotline_fetch_mail``).

Messages are read with ``BODY.PEEK[]``, which leaves them unseen, and flagged ``\\Seen``
only once ``receive_email`` has committed the ticket: a crash in between leaves the message
unseen, the next poll reads it again, and its Message-ID finds the copy already stored. A
message that can never be stored (too large, no sender, invalid) is flagged ``\\Seen
\\Flagged`` for a person to look at in the mailbox, so it is not read again and again.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import DatabaseError

from motcua.hotline.actions import ActionError
from motcua.hotline.channels.email.reading import receive_email

logger = logging.getLogger(__name__)

IMAP_TIMEOUT_SECONDS = 60
POLL_BATCH = 100
_UID = re.compile(rb"\bUID (\d+)")


class Mailbox(Protocol):
    """The part of ``imaplib.IMAP4`` used here, after LOGIN and SELECT."""

    def uid(self, command: str, *args: str) -> tuple[str, list[Any]]: ...


@dataclass
class PollReport:
    stored: int = 0
    duplicates: int = 0
    ignored: int = 0
    refused: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return " ".join(f"{name}={value}" for name, value in vars(self).items())


def connect() -> imaplib.IMAP4:
    """Log in to the mailbox in the settings and select its folder."""
    host, port = settings.HOTLINE_IMAP_HOST, settings.HOTLINE_IMAP_PORT
    client = (
        imaplib.IMAP4_SSL(host, port, timeout=IMAP_TIMEOUT_SECONDS)
        if settings.HOTLINE_IMAP_SSL
        else imaplib.IMAP4(host, port, timeout=IMAP_TIMEOUT_SECONDS)
    )
    try:
        client.login(settings.HOTLINE_IMAP_USER, settings.HOTLINE_IMAP_PASSWORD)
        status, data = client.select(settings.HOTLINE_IMAP_FOLDER)
        if status != "OK":
            raise imaplib.IMAP4.error(f"SELECT {settings.HOTLINE_IMAP_FOLDER}: {data!r}")
    except BaseException:
        logout(client)
        raise
    return client


def poll(mailbox: Mailbox, *, limit: int = POLL_BATCH) -> PollReport:
    """Store every unseen message (up to ``limit``). A database error stops the poll with
    the rest left unseen for the next one; an unexpected error leaves that message unseen."""
    report = PollReport()
    for uid in _unseen(mailbox)[:limit]:
        raw = _fetch(mailbox, uid)
        if raw is None:
            continue  # deleted by someone else since the search
        try:
            result = receive_email(raw)
        except (ValueError, ActionError) as exc:
            logger.warning("hotline mail uid %s refused: %s", uid, exc)
            _flag(mailbox, uid, r"(\Seen \Flagged)")
            report.refused += 1
            continue
        except DatabaseError:
            raise
        except Exception:
            logger.exception("hotline mail uid %s: unexpected error", uid)
            report.failed += 1
            continue
        _flag(mailbox, uid, r"(\Seen)")
        if result is None:
            report.ignored += 1
        elif result.duplicate:
            report.duplicates += 1
        else:
            report.stored += 1
    return report


def _unseen(mailbox: Mailbox) -> list[str]:
    status, data = mailbox.uid("SEARCH", "UNSEEN")
    if status != "OK":
        raise imaplib.IMAP4.error(f"UID SEARCH UNSEEN: {data!r}")
    return [uid.decode() for chunk in data if chunk for uid in chunk.split()]


def _fetch(mailbox: Mailbox, uid: str) -> bytes | None:
    status, data = mailbox.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        raise imaplib.IMAP4.error(f"UID FETCH {uid}: {data!r}")
    for item in data:
        # imaplib gives a literal as (b'1 (UID 7 BODY[] {123}', b'<the message>')
        if isinstance(item, tuple) and len(item) == 2:
            found = _UID.search(item[0])
            if found is None or found.group(1).decode() == uid:
                return bytes(item[1])
    return None


def _flag(mailbox: Mailbox, uid: str, flags: str) -> None:
    status, data = mailbox.uid("STORE", uid, "+FLAGS", flags)
    if status != "OK":
        raise imaplib.IMAP4.error(f"UID STORE {uid}: {data!r}")


def logout(client: imaplib.IMAP4) -> None:
    """Say goodbye; a connection already gone is no error."""
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        client.logout()
