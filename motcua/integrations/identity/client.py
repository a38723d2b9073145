"""The authorization-code flow (OpenID Connect Core §3.1) with PKCE (RFC 7636, S256).

``begin`` stores a fresh ``state``, ``nonce`` and PKCE verifier in the browser's session and
returns the provider's authorization address; ``finish`` takes the callback's query, and
returns the person only if all of this holds: the session has a flow younger than
``FLOW_TTL`` (each flow is used once), the callback's ``state`` equals it, the provider gave a
code, the token endpoint exchanged it (with our client secret and the PKCE verifier), the ID
token verifies (``tokens.verify_id_token``: signature, issuer, audience, expiry, nonce) and
the userinfo answer, when asked for, is about the same ``sub``. Anything else raises
``SignInRefusedError`` with a Vietnamese message for the citizen and a reason for the log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.contrib.sessions.backends.base import SessionBase
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from motcua.integrations.identity import config
from motcua.integrations.identity.claims import Identity, map_claims
from motcua.integrations.identity.tokens import InvalidIdTokenError, verify_id_token
from motcua.integrations.identity.transport import ProviderError, get_json, post_form

logger = logging.getLogger(__name__)

SESSION_KEY = "identity:oidc_flow"
FLOW_TTL_SECONDS = 600


class SignInRefusedError(Exception):
    """The sign-in through the provider did not succeed: ``message`` is for the citizen
    (Vietnamese), ``reason`` for the log."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message, self.reason = message, reason


@dataclass(frozen=True)
class Flow:
    state: str
    nonce: str
    verifier: str
    redirect_uri: str
    started_at: float
    purpose: str = "signin"  # signin | link (a signed-in citizen links their account)
    next_url: str = ""


def begin(
    session: SessionBase, *, redirect_uri: str, purpose: str = "signin", next_url: str = ""
) -> str:
    """Start a flow for this browser; return the address to redirect it to. A flow started
    earlier in the same session is replaced. ``ProviderError`` if discovery fails."""
    provider = config.provider()
    flow = Flow(
        state=generate_token(32),
        nonce=generate_token(32),
        verifier=generate_token(64),  # 64 characters: RFC 7636 asks for 43 to 128
        redirect_uri=redirect_uri,
        started_at=time.time(),
        purpose=purpose,
        next_url=next_url,
    )
    session[SESSION_KEY] = asdict(flow)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": provider.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(provider.scopes),
            "state": flow.state,
            "nonce": flow.nonce,
            "code_challenge": create_s256_code_challenge(flow.verifier),
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if "?" in provider.authorization_url else "?"
    return f"{provider.authorization_url}{separator}{query}"


def pending_flow(session: SessionBase) -> Flow | None:
    data = session.get(SESSION_KEY)
    return Flow(**data) if isinstance(data, dict) else None


def finish(session: SessionBase, params: Mapping[str, str]) -> tuple[Identity, Flow]:
    """The person the provider signed in, and the flow it answers (see the module)."""
    name = config.provider_name()
    expired = _("Phiên đăng nhập bằng %(provider)s đã hết hạn hoặc không hợp lệ. Vui lòng thử lại.")
    data = session.pop(SESSION_KEY, None)
    flow = Flow(**data) if isinstance(data, dict) else None
    if flow is None or time.time() - flow.started_at > FLOW_TTL_SECONDS:
        raise SignInRefusedError(expired % {"provider": name}, "no flow in session, or too old")
    if not constant_time_compare(params.get("state", ""), flow.state):
        raise SignInRefusedError(expired % {"provider": name}, "state does not match the session")
    if params.get("error"):
        message = (
            _("Bạn đã hủy đăng nhập bằng %(provider)s.")
            if params["error"] == "access_denied"
            else _("%(provider)s báo lỗi khi đăng nhập. Vui lòng thử lại sau.")
        )
        reason = f"provider error {params['error']!r}"
        raise SignInRefusedError(message % {"provider": name}, reason)
    if not params.get("code"):
        raise SignInRefusedError(expired % {"provider": name}, "callback without a code")
    try:
        provider = config.provider()
        claims = _claims(provider, flow, params["code"])
    except ProviderError as exc:
        raise SignInRefusedError(
            _("Chưa kết nối được với %(provider)s. Vui lòng thử lại sau.") % {"provider": name},
            f"provider unreachable or erring: {exc}",
        ) from exc
    except InvalidIdTokenError as exc:
        raise SignInRefusedError(
            _(
                "Thông tin đăng nhập nhận từ %(provider)s không hợp lệ nên không được chấp "
                "nhận. Vui lòng thử lại."
            )
            % {"provider": name},
            f"ID token refused: {exc}",
        ) from exc
    identity = map_claims(claims, issuer=provider.issuer, id_number_claim=provider.id_number_claim)
    return identity, flow


def _claims(provider: config.Provider, flow: Flow, code: str) -> dict[str, Any]:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": flow.redirect_uri,
        "code_verifier": flow.verifier,
    }
    basic = None
    if provider.token_auth_method == "client_secret_post":  # noqa: S105 (a method's name)
        form |= {"client_id": provider.client_id, "client_secret": provider.client_secret}
    else:
        basic = (provider.client_id, provider.client_secret)
    token = post_form(provider.token_url, form, basic_auth=basic)
    id_token, access_token = token.get("id_token"), token.get("access_token")
    if not isinstance(id_token, str) or not isinstance(access_token, str):
        raise InvalidIdTokenError("the token answer has no id_token or access_token")
    claims = verify_id_token(
        id_token, provider=provider, nonce=flow.nonce, access_token=access_token
    )
    if provider.userinfo_url:
        info = get_json(provider.userinfo_url, bearer=access_token)
        if info.get("sub") != claims["sub"]:  # Core §5.3.2: else the answer must not be used
            raise InvalidIdTokenError("userinfo is about another sub")
        claims = {**info, **claims}  # the signed claims win
    return claims
