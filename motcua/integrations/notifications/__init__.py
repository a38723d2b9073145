"""Messages to the applicant (email and SMS) through an outbox (docs/architecture.md rule 7).

Dossier actions call ``outbox.notify_applicant`` inside their transaction; it writes one
``Notification`` row per channel and queues ``tasks.send_notification`` on commit. Sending
claims the row with a conditional update, so a message is handed to a provider at most once
per attempt, and ``tasks.drain_outbox`` (or ``manage.py drain_outbox``) picks up whatever is
due: retries after backoff, rows whose task was lost, rows a crashed worker left "sending".
"""
