"""The printed forms of the one-stop mechanism (Circular 03/2025/TT-VPCP, Appendix I).

Forms 01–06 belong to one dossier; Form 07 is a desk's register over a date range. Each
form is one template rendered for the screen and for print (A4, ``@page``), and as PDF by
WeasyPrint with the Noto Serif font shipped in ``fonts/`` (OFL-1.1, see PROVENANCE.txt), so
Vietnamese diacritics never depend on the fonts of the machine.

The form list of Circular 03/2025 is not confirmed: the names and fields follow
docs/rules/forms.md, close to Circular 01/2018/TT-VPCP's forms. Each builder in
``contexts.py`` says which fields it prints.

Layers: ``formatting.py`` (dates the Vietnamese way, header, QR code), ``contexts.py`` (pure
builders: a dossier → the dict a template renders), ``register.py`` (Form 07: rows, HTML,
PDF, XLSX), ``pdf.py`` (WeasyPrint, imported lazily), ``views.py`` and ``urls.py``.
"""
