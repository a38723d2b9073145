"""OpenID Connect sign-in (the national VNeID service is one such provider): the
authorization-code flow with PKCE, state and nonce, and ID tokens verified against the
provider's published keys. ``client`` is the flow; a local provider for tests and development
is described in docs/devtools.md."""
