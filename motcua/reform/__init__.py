"""Administrative reform: business dialogues ("Cà phê Doanh nhân - Doanh nghiệp", each issue
raised becoming a hotline ticket: docs/decisions/hotline.md "Business dialogues"); the
simplification reviews will live here too."""
