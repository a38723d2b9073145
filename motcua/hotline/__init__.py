"""The 1022 hotline: one queue of questions, feedback, petitions and requests from every
channel (phone, email, Zalo, Facebook, the portal's web form, the national portal's Q&A,
walk-ins and business dialogues), routed to the responsible agency and answered on the
channel each came from (docs/hotline.md)."""
