"""Citizen accounts: sign-up and sign-in by phone or email, OpenID Connect sign-in (VNeID),
and the citizen's profile that prefills every application form."""
