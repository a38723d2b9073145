"""A local OpenID Connect provider, standing in for VNeID or another (protocol: the module
docstring of ``motcua/integrations/identity/client.py``).

It serves what a real provider serves: discovery (``/.well-known/openid-configuration``),
the JWKS (``/jwks``), ``/authorize`` (approves at once as the configured ``person`` and
redirects back with a code), ``/token`` (checks the client secret, by Basic or form, the
redirect address and the PKCE verifier; a code works once, for a minute) and ``/userinfo``
(Bearer access token). ID tokens are RS256, signed with a key made at start.

To test a client's defences it misbehaves on request: ``forge_key`` signs ID tokens with
another key under the same key id, ``nonce_override`` puts another nonce in them,
``token_lifetime`` (negative: already expired), ``deny`` answers ``access_denied``;
``fail_next_with`` and ``delay_next`` apply to every request (``requests`` counts them all).
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
import urllib.parse
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import RSAKey

from motcua.devtools.loopback import (
    LoopbackServer,
    Reply,
    Request,
    json_reply,
    redirect,
    with_query,
)

KEY_ID = "fake-1"
CODE_LIFETIME_SECONDS = 60
DEV_CLIENT_ID = "motcua-dev"
DEV_CLIENT_SECRET = "motcua-dev-secret"  # noqa: S105 (a fake's public default)
DEV_PERSON: dict[str, Any] = {
    "sub": "vneid-0001",
    "name": "Nguyễn Thị Mai",
    "id_number": "087190123456",
    "birthdate": "1990-05-17",
    "phone_number": "+84912000111",
    "phone_number_verified": True,
    "email": "mai@example.vn",
    "email_verified": True,
}
_NO_STORE = (("Cache-Control", "no-store"),)


def new_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig", "alg": "RS256"})


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str
    issued: float
    person: dict[str, Any] = field(default_factory=dict)


class FakeOidcProvider(LoopbackServer):
    server_version = "motcua-fake-oidc/1"

    def __init__(
        self,
        *,
        client_id: str = DEV_CLIENT_ID,
        client_secret: str = DEV_CLIENT_SECRET,
        person: dict[str, Any] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.client_id, self.client_secret = client_id, client_secret
        self.person: dict[str, Any] = dict(person or DEV_PERSON)
        self.key = new_key()
        self.forge_key: RSAKey | None = None
        self.nonce_override: str | None = None
        self.token_lifetime = 300
        self.deny = False
        self.refused: list[str] = []  # why each refused /token request was refused
        self._grants: dict[str, _Grant] = {}
        self._access: dict[str, dict[str, Any]] = {}

    @property
    def issuer(self) -> str:
        return self.url

    def settings(self) -> dict[str, Any]:
        """The OIDC_* settings that point a site at this provider (by discovery)."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": self.client_id,
            "OIDC_CLIENT_SECRET": self.client_secret,
            "OIDC_AUTHORIZATION_URL": "",
            "OIDC_TOKEN_URL": "",
            "OIDC_JWKS_URL": "",
            "OIDC_USERINFO_URL": "",
        }

    def reply(self, request: Request) -> Reply:
        if failure := self._next_failure():
            return failure
        path = request.path
        if request.method == "POST":
            if path == "/token":
                return json_reply(*self.token(request.headers, request.form()), headers=_NO_STORE)
        elif path == "/.well-known/openid-configuration":
            return json_reply(200, self.discovery(), headers=_NO_STORE)
        elif path == "/jwks":
            return json_reply(200, self.jwks(), headers=_NO_STORE)
        elif path == "/authorize":
            status, target = self.authorize(request.query)
            if status == 302:
                return redirect(target)
            return json_reply(status, {"error": target}, headers=_NO_STORE)
        elif path == "/userinfo":
            return json_reply(*self.userinfo(request.headers), headers=_NO_STORE)
        return json_reply(404, {"error": "not_found"}, headers=_NO_STORE)

    # ---- the endpoints -----------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks",
            "userinfo_endpoint": f"{base}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    def authorize(self, query: dict[str, str]) -> tuple[int, str]:
        """(status, redirect address or error text)."""
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or not redirect_uri:
            return 400, "unknown client or no redirect_uri"
        back: dict[str, str] = {"state": query.get("state", "")}
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            back["error"] = "invalid_request"
        elif self.deny:
            back["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(24)
            with self._lock:
                self._grants[code] = _Grant(
                    client_id=self.client_id,
                    redirect_uri=redirect_uri,
                    challenge=query.get("code_challenge", ""),
                    nonce=query.get("nonce", ""),
                    issued=time.time(),
                    person=dict(self.person),
                )
            back["code"] = code
        return 302, with_query(redirect_uri, back)

    def token(self, headers: Message, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        client = self._client(headers, form)
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)
        if client != self.client_id:
            self.refused.append("invalid client")
            return 401, {"error": "invalid_client"}
        problem = self._grant_problem(grant, form)
        if problem or grant is None:
            self.refused.append(problem)
            return 400, {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._access[access_token] = grant.person
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.id_token(grant),
        }

    @staticmethod
    def _grant_problem(grant: _Grant | None, form: dict[str, str]) -> str:
        if grant is None:
            return "unknown or used code"
        if time.time() - grant.issued > CODE_LIFETIME_SECONDS:
            return "code expired"
        if form.get("redirect_uri") != grant.redirect_uri:
            return "redirect_uri differs"
        if create_s256_code_challenge(form.get("code_verifier", "")) != grant.challenge:
            return "PKCE verifier does not match"
        return ""

    def id_token(self, grant: _Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant.person["sub"],
            "aud": self.client_id,
            "iat": now,
            "auth_time": now,
            "exp": now + self.token_lifetime,
            "nonce": grant.nonce if self.nonce_override is None else self.nonce_override,
            "name": grant.person.get("name", ""),
        }
        header = {"alg": "RS256", "kid": KEY_ID, "typ": "JWT"}
        return jwt.encode(header, claims, self.forge_key or self.key)

    def userinfo(self, headers: Message) -> tuple[int, dict[str, Any]]:
        scheme, _, token = str(headers.get("Authorization", "")).partition(" ")
        with self._lock:
            person = self._access.get(token) if scheme == "Bearer" else None
        if person is None:
            return 401, {"error": "invalid_token"}
        return 200, dict(person)

    def _client(self, headers: Message, form: dict[str, str]) -> str | None:
        """The authenticated client id (client_secret_basic or client_secret_post)."""
        scheme, _, value = str(headers.get("Authorization", "")).partition(" ")
        if scheme == "Basic":
            try:
                pair = base64.b64decode(value).decode()
            except (ValueError, binascii.Error):
                return None
            client, _, secret = (urllib.parse.unquote(p) for p in pair.partition(":"))
        else:
            client, secret = form.get("client_id", ""), form.get("client_secret", "")
        ok = secrets.compare_digest(secret.encode(), self.client_secret.encode())
        return client if ok else None
