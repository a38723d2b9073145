"""Reading one email (RFC 5322) into an ``InboundMessage``.

Only text is kept: an HTML-only message is reduced to its words with nh3 (no tag survives,
the content of ``<script>`` and ``<style>`` is dropped), the previous message quoted below a
reply is cut where the mail program marked it, and only PDF, JPEG and PNG attachments are
handed on (``open_ticket`` checks their content again). Mail written by a program (vacation
replies, bounces, bulk mail) and our own mail are not messages from a person: answering them
would set two robots writing to each other forever.
"""

from __future__ import annotations

import hashlib
import html
import re
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.utils import parseaddr

import nh3
from django.conf import settings

from motcua.core.text import normalize, normalize_block
from motcua.hotline.actions import ReceiveResult, receive_message
from motcua.hotline.actions.intake import MAX_BODY_CHARS
from motcua.hotline.inbound import InboundAttachment, InboundMessage
from motcua.hotline.status import TicketChannel, TicketKind

CHANNEL = TicketChannel.EMAIL
MAX_EMAIL_BYTES = 25 * 1024 * 1024
MAX_ID_CHARS = 255  # TicketMessage.external_id / provider_message_id
MAX_THREAD_IDS = 50
MAX_ATTACHMENTS = 20
MAX_ATTRIBUTION_CHARS = 300
# The stdlib parser takes about half a millisecond per MIME part and parses headers in
# quadratic time: these bound the work one hostile message can cause to seconds. No real
# mail comes near them (Postfix itself truncates a header at 100 KB).
MAX_MIME_BOUNDARIES = 500  # lines starting with "--"
MAX_HEADER_CHARS = 16_000
MAX_HEADERS_CHARS = 256_000  # all headers of all parts together
# Only the first MAX_BODY_CHARS characters are stored; these leave room for what trimming
# the quotation and the markup removes.
MAX_HTML_CHARS = 2_000_000
MAX_TEXT_CHARS = 1_000_000
KEPT_TYPES = frozenset({"application/pdf", "image/jpeg", "image/pjpeg", "image/png"})
KEPT_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")

_MSG_ID = re.compile(r"<([^<>\s]+)>")
_REPLY_PREFIX = re.compile(
    r"^(?:\s*(?:re|fwd?|tl|aw|sv|trả\s+lời|chuyển\s+tiếp)\s*(?:\[\d+\])?\s*:)+\s*", re.I
)
_TICKET_TAG = re.compile(r"\s*\[1022-\d{6}-\d+\]")
# "On Mon, 2 Mar 2026 at 08:00, An <an@example.vn> wrote:" (Gmail, Apple Mail, Thunderbird)
# and "Vào Th 2, 2 thg 3, 2026 vào lúc 08:00 An <an@example.vn> đã viết:" (Gmail in Vietnamese).
_ATTRIBUTION = re.compile(r"^\s*(?:on|vào)\s.*\d.*(?:wrote|đã viết)\s*:\s*$", re.I)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*(?:original message|thư gốc|tin nhắn gốc)\s*-{2,}\s*$", re.I)
# HTML to text: source line breaks are spaces; <br> ends a line; a <div> (Gmail writes one per
# line) starts a line; a <p> starts a paragraph. Markers from the private-use area stand for
# block edges until the tags are gone.
_LINE, _PARAGRAPH = "\ue000", "\ue001"
_BREAK_TAG = re.compile(r"<br\b[^>]*>", re.I)
_LINE_TAG = re.compile(r"</?(?:div|li|tr|pre|dt|dd)\b[^>]*>", re.I)
_PARAGRAPH_TAG = re.compile(r"</?(?:p|h[1-6]|blockquote|table|ul|ol|dl|hr)\b[^>]*>", re.I)
_EDGES = re.compile(r"[ \n\ue000\ue001]+")  # one plain character class: linear time


def parse_email(raw: bytes) -> InboundMessage | None:
    """The person's message in ``raw``, or ``None`` for mail that must not become a ticket
    (an automatic reply, a bounce, bulk mail, our own mail). Raises ``ValueError`` for a
    message over ``MAX_EMAIL_BYTES``, an empty one, or one without a sender address."""
    if len(raw) > MAX_EMAIL_BYTES:
        raise ValueError(f"email over {MAX_EMAIL_BYTES} bytes")
    if not raw.strip():
        raise ValueError("empty email")
    if raw.count(b"\n--") > MAX_MIME_BOUNDARIES:
        raise ValueError(f"email with over {MAX_MIME_BOUNDARIES} MIME boundaries")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        _check_headers(message)
        return _read(message, raw)
    except ValueError:
        raise
    except Exception as exc:  # the email package raises assorted errors on malformed headers
        raise ValueError(f"unreadable email: {exc!r}") from exc


def receive_email(raw: bytes) -> ReceiveResult | None:
    """Store one email on its thread's ticket or a new question; ``None`` when ignored."""
    message = parse_email(raw)
    if message is None:
        return None
    return receive_message(message=message, kind=TicketKind.QUESTION)


def html_to_text(markup: str) -> str:
    """The words of an HTML body, line by line, without any tag or script."""
    markup = re.sub(r"\s+", " ", markup.replace(_LINE, "").replace(_PARAGRAPH, ""))
    markup = _BREAK_TAG.sub(lambda match: "\n" + match.group(0), markup)
    markup = _LINE_TAG.sub(lambda match: _LINE + match.group(0), markup)
    markup = _PARAGRAPH_TAG.sub(lambda match: _PARAGRAPH + match.group(0), markup)
    cleaned = nh3.clean(markup, tags=set(), clean_content_tags={"script", "style", "title"})
    text = _EDGES.sub(_edge, html.unescape(cleaned))
    return normalize_block(text)


def _edge(match: re.Match[str]) -> str:
    """Block edges and <br>s between two pieces of text as line breaks: a Gmail blank line
    (<div><br></div>) or a paragraph is one blank line, other block edges one line break."""
    run = match.group(0)
    if _LINE not in run and _PARAGRAPH not in run:
        return run
    breaks = run.count("\n") + 1
    return "\n" * (max(breaks, 2) if _PARAGRAPH in run else breaks)


def trim_quoted(text: str) -> str:
    """``text`` without the earlier message it quotes: everything from a reply's attribution
    line ("On … wrote:") when the reply is written above it, and every line starting with
    ">". A message that is nothing but a quotation is kept whole."""
    lines = text.splitlines()
    found = _attribution(lines)
    if found is not None:
        start, length = found
        if any(line.strip() for line in lines[:start]):
            lines = lines[:start]
        else:  # answers written below or between the quoted lines
            del lines[start : start + length]
    kept = "\n".join(line for line in lines if not line.lstrip().startswith(">")).strip()
    return kept or text.strip()


def message_id(value: str) -> str:
    """A Message-ID as stored and compared, ``<local@domain>``; an id longer than the column
    becomes its hash, the same every time, so it still finds itself."""
    match = _MSG_ID.search(value)
    bare = "".join(value.split()).strip("<>")
    ident = f"<{match.group(1)}>" if match else (f"<{bare}>" if bare else "")
    if len(ident) <= MAX_ID_CHARS:
        return ident
    digest = hashlib.sha256(ident.encode("utf-8", "surrogateescape")).hexdigest()
    return f"<sha256.{digest}@long-id.invalid>"


def own_addresses() -> set[str]:
    addresses = {settings.HOTLINE_EMAIL_ADDRESS, settings.DEFAULT_FROM_EMAIL}
    return {parseaddr(address)[1].lower() for address in addresses} - {""}


def _read(message: EmailMessage, raw: bytes) -> InboundMessage | None:
    if _automatic(message):
        return None
    ours = own_addresses()
    author = _address(message, "From")
    if author is not None and author[0] in ours:
        return None
    reply_to = _address(message, "Reply-To")
    sender = reply_to if reply_to is not None and reply_to[0] not in ours else author
    if sender is None:
        raise ValueError("email without a sender address")
    name = sender[1] or (author[1] if author is not None else "")
    body_part = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body_part is not None:
        text = _decoded(body_part)
        if body_part.get_content_subtype() == "html":
            text = html_to_text(text[:MAX_HTML_CHARS])
        text = trim_quoted(normalize_block(text[:MAX_TEXT_CHARS]))
    subject = _subject(message)
    text = text or subject
    if len(text) > MAX_BODY_CHARS:
        text = text[: MAX_BODY_CHARS - 1].rstrip() + "…"
    return InboundMessage(
        channel=CHANNEL,
        external_id=message_id(_header(message, "Message-ID")) or _hash_id(raw),
        sender_id=sender[0],
        sender_name=name,
        email=sender[0],
        subject=subject,
        text=text,
        thread_ids=_thread_ids(message),
        attachments=_attachments(message, body_part),
    )


def _check_headers(message: EmailMessage) -> None:
    total = 0
    for part in message.walk():
        for name, value in part.raw_items():
            if len(value) > MAX_HEADER_CHARS:
                raise ValueError(f"header {name} over {MAX_HEADER_CHARS} characters")
            total += len(value)
    if total > MAX_HEADERS_CHARS:
        raise ValueError(f"headers over {MAX_HEADERS_CHARS} characters")


def _automatic(message: EmailMessage) -> bool:
    """RFC 3834: anything but ``Auto-Submitted: no`` was sent by a program; so were bulk and
    list mail, vacation replies that say so, and delivery reports (bounces)."""
    auto = _header(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto and auto != "no":
        return True
    if _header(message, "Precedence").strip().lower() in {"bulk", "junk", "list"}:
        return True
    if any(_header(message, name).strip().lower() not in {"", "no"} for name in _AUTOREPLY):
        return True
    return message.get_content_type() == "multipart/report"


_AUTOREPLY = ("X-Autoreply", "X-Autorespond")


def _header(message: EmailMessage, name: str) -> str:
    value = message.get(name)
    return _unmangled(str(value)) if value is not None else ""


def _unmangled(value: str) -> str:
    """Raw UTF-8 in a header (RFC 6532, or a careless mail program) arrives as surrogate
    escapes; turn it back into the letters it was."""
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")


def _address(message: EmailMessage, name: str) -> tuple[str, str] | None:
    """The first usable address of a header, lower-cased, and its display name."""
    header = message.get(name)
    for address in getattr(header, "addresses", ()):
        if address.username and address.domain:
            email = _unmangled(address.addr_spec).lower().strip("<>")
            return email, normalize(_unmangled(address.display_name))
    return None


def _subject(message: EmailMessage) -> str:
    subject = normalize(_header(message, "Subject"))
    subject = _TICKET_TAG.sub("", _REPLY_PREFIX.sub("", subject))
    return normalize(subject)[:255]


def _thread_ids(message: EmailMessage) -> tuple[str, ...]:
    ids: list[str] = []
    for name in ("In-Reply-To", "References"):
        for found in _MSG_ID.findall(_header(message, name)):
            ident = message_id(f"<{found}>")
            if ident not in ids:
                ids.append(ident)
    return tuple(ids[:MAX_THREAD_IDS])


def _hash_id(raw: bytes) -> str:
    return f"<sha256.{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid>"


def _decoded(part: MIMEPart) -> str:
    """A text part's characters: its declared charset (windows-1258 included), else UTF-8,
    else the legacy Vietnamese code page, never an exception."""
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    declared = part.get_content_charset()
    for charset, errors in ((declared, "strict"), ("utf-8", "strict"), (declared, "replace")):
        if not charset:
            continue
        try:
            return data.decode(charset, errors)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1258", "replace")


def _attachments(
    message: EmailMessage, body_part: MIMEPart | None
) -> tuple[InboundAttachment, ...]:
    found: list[InboundAttachment] = []
    for part in message.walk():
        if part.is_multipart() or part is body_part:
            continue
        content_type = part.get_content_type()
        name = normalize(_unmangled(part.get_filename() or ""))
        generic = content_type == "application/octet-stream"
        if content_type not in KEPT_TYPES and not (
            generic and name.lower().endswith(KEPT_EXTENSIONS)
        ):
            continue
        content = part.get_payload(decode=True)
        if isinstance(content, bytes) and content:
            found.append(InboundAttachment(name=name, content_type=content_type, content=content))
        if len(found) == MAX_ATTACHMENTS:
            break
    return tuple(found)


def _attribution(lines: list[str]) -> tuple[int, int] | None:
    """Where the quoted message's attribution starts and how many lines it takes (mail
    programs wrap a long one onto a second line)."""
    for index, line in enumerate(lines):
        if len(line) > MAX_ATTRIBUTION_CHARS:  # keeps the regular expressions linear
            continue
        if _ORIGINAL.match(line):
            return index, 1
        if _ATTRIBUTION.match(line) and _is_attribution(lines, index, line):
            return index, 1
        if index + 1 < len(lines) and len(lines[index + 1]) <= MAX_ATTRIBUTION_CHARS:
            joined = f"{line} {lines[index + 1]}"
            if _ATTRIBUTION.match(joined) and _is_attribution(lines, index + 1, joined):
                return index, 2
    return None


def _is_attribution(lines: list[str], last: int, text: str) -> bool:
    """A line like "Vào ngày 5/3 tôi đã viết:" may be the citizen's own; an attribution
    names an address or is followed by quoted lines."""
    if "@" in text:
        return True
    following = next((line for line in lines[last + 1 :] if line.strip()), "")
    return following.lstrip().startswith(">")
