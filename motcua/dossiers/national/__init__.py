"""The dossiers' sync with the National Public Service Portal (docs/national-portal.md).

- ``changes``: what an action writes, in its own transaction: one ``NationalSyncChange`` per
  event the portal shows, and the "due to sync" counter at reception.
- ``payload``: the dossier and its progress steps in the portal's fields, built from the
  dossier as it is when sent.
- ``sender``: one send of a dossier: insert or update, then the progress steps not yet
  held, then every change it covered marked sent.
- ``worker``: the outbox of changes, drained in dossier order by the sync worker
  (``manage.py sync_national``), with the circuit breaker.
- ``ratings``: the monthly satisfaction summary per procedure.
- ``reconcile``: asking the portal what it holds and queueing what differs.
- ``overview``: what the operator's sync screen and the dossier page show of the sync.
"""
