from __future__ import annotations

import unicodedata

from motcua.core.text import fold, normalize, normalize_block


def test_normalize_composes_decomposed_diacritics_and_spaces():
    decomposed = unicodedata.normalize("NFD", "  Đăng   ký\tkhai sinh ")
    assert normalize(decomposed) == "Đăng ký khai sinh"
    assert normalize(decomposed) == unicodedata.normalize("NFC", "Đăng ký khai sinh")


def test_fold_strips_diacritics_and_d_bar():
    assert fold("ĐĂNG KÝ Khai Sinh") == "dang ky khai sinh"
    assert fold(unicodedata.normalize("NFD", "Sổ đỏ")) == "so do"


def test_normalize_block_keeps_paragraphs():
    assert normalize_block("Bước 1:  nộp\n\n\n\nBước 2:   nhận") == "Bước 1: nộp\n\nBước 2: nhận"
