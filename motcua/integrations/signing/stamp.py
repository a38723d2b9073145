"""The visible stamp: pyHanko's QR stamp, with the QR code drawn from segno's matrix (the
product's QR library) as vector squares, and the text in a font with Vietnamese glyphs."""

from __future__ import annotations

from typing import Any

import segno
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter, init_xobject_dictionary
from pyhanko.stamp import QRStamp, QRStampStyle

QR_BORDER = 2  # modules of quiet zone around the code

STAMP_TEXT = (
    "%(title)s\n"
    "Cơ quan: %(agency)s\n"
    "Người ký: %(signer)s\n"
    "Thời gian ký: %(at)s\n"
    "Xác thực tại: %(url)s"
)
# A leader's own signature: their name (the certificate's) and position first.
PERSONAL_STAMP_TEXT = (
    "%(title)s\n"
    "Người ký: %(signer)s\n"
    "Chức vụ: %(position)s\n"
    "Cơ quan: %(agency)s\n"
    "Thời gian ký: %(at)s\n"
    "Xác thực tại: %(url)s"
)


class SegnoQRStamp(QRStamp):
    def _qr_xobject(self) -> tuple[Any, int]:
        """The QR code as an XObject of filled squares, one unit per module, y upwards."""
        code = segno.make(self.url, error="m", micro=False)
        rows = list(code.matrix)
        size = len(rows) + 2 * QR_BORDER
        squares = [
            b"%d %d 1 1 re" % (QR_BORDER + x, size - 1 - (QR_BORDER + y))
            for y, row in enumerate(rows)
            for x, dark in enumerate(row)
            if dark
        ]
        stream = b"0 g " + b" ".join(squares) + b" f"
        xobject = init_xobject_dictionary(stream, size, size)
        xobject.compress()
        writer = self.writer
        assert writer is not None  # a stamp is always made for a writer
        return writer.add_object(xobject), size


class SegnoQRStampStyle(QRStampStyle):
    def create_stamp(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict[str, Any]
    ) -> QRStamp:
        url = text_params.pop("url")
        return SegnoQRStamp(writer, style=self, url=url, text_params=text_params, box=box)


def stamp_style(font_path: str, *, personal: bool = False) -> QRStampStyle:
    """The stamp: the QR code at the left, the lines of ``STAMP_TEXT`` (a person's:
    ``PERSONAL_STAMP_TEXT``) at its right, in ``font_path`` (a TrueType font with Vietnamese
    glyphs), shrunk to fit the field."""
    font = GlyphAccumulatorFactory(font_path) if font_path else None
    text_style = TextBoxStyle(font=font, font_size=8, leading=10) if font else TextBoxStyle()
    return SegnoQRStampStyle(
        stamp_text=PERSONAL_STAMP_TEXT if personal else STAMP_TEXT,
        text_box_style=text_style,
        border_width=1,
        background=None,
        innsep=4,
    )
