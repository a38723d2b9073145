"""One fake per external platform, each on the loopback server of ``devtools.loopback``:
``zalo`` (Zalo OA), ``messenger`` (Facebook Messenger), ``national_qa`` (the national portal's
Q&A), ``sms`` (an SMS brandname gateway), ``vnpay`` (the VNPAY payment gateway), ``oidc`` (an
OpenID Connect provider such as VNeID). docs/devtools.md says what each is for."""
