"""The outbox engine: outbound work as rows, each sent at least once and never lost.

Everything the platform sends to another system is an outbox (docs/architecture.md rule 7): the
notifications to applicants (``notifications/delivery.py``), the hotline's replies
(``hotline/replies.py``), and the same way the national portal's syncs and the postal
carrier's orders. An outbox is a model inheriting ``models.OutboxRow``, whose rows are
written in the transaction of the action that causes them (which queues their send with
``engine.send_on_commit``), and an ``engine.Outbox`` that sends them through a *sender*: a
function that takes one claimed row and returns the receiving system's id for it, or raises
``errors.DeliveryError`` saying whether a later attempt could succeed.

The rules that make a row go out, and go out once (docs/decisions/outbox.md):

- **Claim.** A worker sends a row only after moving it, in one conditional UPDATE, from
  ``pending`` (or from ``sending`` whose lease has run out: its worker died) with
  ``next_attempt_at`` reached and attempts left, to ``sending``, with ``next_attempt_at``
  pushed to the end of a lease, the attempt counted and its time in ``attempted_at``. Of two
  workers racing for a row, one UPDATE matches. A ``sent`` row matches nothing, ever. The
  claim is committed on its own (a durable transaction) before the sender is called, so a
  crash after the call leaves the attempt on record.
- **Record.** Success → ``sent`` with the receiver's id. A retryable error with attempts left
  → ``pending`` again, due after an exponential backoff. Otherwise → ``failed``, for an
  operator to look at and send again. The write is conditional on the claim still being this
  worker's (same status and attempt number).
- **Crash between send and record.** The lease runs out and the row is claimed again from
  ``sending``: that claim marks it ``maybe_duplicate``, because the receiver may have taken
  the first copy. Senders give every attempt the same id (a Message-ID, a gateway's client
  id) wherever the receiver can de-duplicate by one.
- **Sweep.** ``drain`` sends every row that is due: retries, rows whose task was lost, rows
  of dead workers. A row a dead worker left ``sending`` on its last attempt is failed (its
  fate is unknown).
"""
