"""Messages to applicants and citizens (email and SMS) through an outbox
(docs/architecture.md rule 7).

A service below the dossiers: it stores, sends and retries messages, and renders only those
that concern no dossier. ``outbox.notify_dossier`` (called by ``dossiers.notices`` with the
texts already written) and ``outbox.notify_person`` (a verification code) write one
``Notification`` row per channel inside the caller's transaction and queue
``tasks.send_notification`` on commit. Sending runs on the outbox engine
(``core/outbox/``): each row is claimed with a conditional update before it is handed to
the email or SMS transport (``integrations/email``, ``integrations/sms``), and
``tasks.drain_outbox`` (or ``manage.py drain_outbox``) picks up whatever is due: retries after
backoff, rows whose task was lost, rows a crashed worker left "sending".
"""
