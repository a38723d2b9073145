"""The Content-Security-Policy django-csp sends (config/csp.py adds form targets)."""

# ---- Content-Security-Policy (django-csp) ------------------------------------------------
# Scripts only from our own static files: no inline script, no eval, no CDN (the printed
# forms' "In" button and Swagger UI load theirs from /static/). Inline style attributes stay
# allowed: the printed forms and Swagger UI use them, and a style cannot run code. Forms post
# only here, and to the payment gateway and the identity provider a form redirects to
# (added per response by config.csp.FormTargetsMiddleware, from the settings of the time).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
