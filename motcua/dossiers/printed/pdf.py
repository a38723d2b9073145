"""PDF of a printed form, by WeasyPrint, with the fonts shipped in ``fonts/``.

WeasyPrint is imported only when a PDF is asked for: a server without it (or without the
Pango/HarfBuzz libraries it loads) still serves every form as HTML, and the PDF views answer
503 (``PdfUnavailableError``). The renderer fetches nothing but the shipped fonts and ``data:``
URIs, so no text of a dossier can make it read a file or call a server.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {
    "regular": "NotoSerif-Regular.ttf",
    "bold": "NotoSerif-Bold.ttf",
    "italic": "NotoSerif-Italic.ttf",
}

log = logging.getLogger(__name__)


class PdfUnavailableError(RuntimeError):
    """WeasyPrint or its system libraries cannot be loaded on this server."""


def file_fonts() -> dict[str, str]:
    """The font URLs a template uses when rendered for WeasyPrint."""
    return {key: (FONTS_DIR / name).as_uri() for key, name in FONT_FILES.items()}


def is_shipped_font(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return False
    path = Path(unquote(parts.path)).resolve()
    return path.parent == FONTS_DIR and path.name in FONT_FILES.values()


def _weasyprint() -> Any:
    try:
        import weasyprint  # heavy, and optional at run time
    except (ImportError, OSError) as exc:  # OSError: Pango or HarfBuzz missing
        log.warning("WeasyPrint unavailable: %s", exc)
        raise PdfUnavailableError(str(exc)) from exc
    return weasyprint


def html_to_pdf(html: str) -> bytes:
    """Render one form's HTML (A4, its own ``@page`` rules) to PDF bytes."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    class ShippedOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:") or is_shipped_font(url):
                return super().fetch(url, headers)
            raise ValueError(f"Printed forms load no outside resource: {url}")

    document = weasyprint.HTML(
        string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=ShippedOnly()
    )
    pdf: bytes = document.write_pdf(font_config=FontConfiguration())
    return pdf
