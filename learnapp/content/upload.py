"""An uploaded file's bytes as text: size, encodings, and files that are not text at all. Pure.

UTF-8 (with or without a byte order mark) and UTF-16 with one are read as they are; text that is not
UTF-8 but is valid GB18030 (GBK is a subset) is read as GB18030 with a warning. Anything else raises
`ImportFileError`, whose message is meant for the teacher.
"""

from __future__ import annotations

MAX_BYTES = 5 * 1024 * 1024

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx workbook, an Anki .apkg or a .zip)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel or Word file (.xls, .doc)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x1f\x8b", "a gzip archive"),
)
NOT_UTF8 = "The file is not UTF-8 text: save it as UTF-8 CSV and try again."


class ImportFileError(ValueError):
    """The upload as a whole cannot be read; the message is meant for the teacher."""


def decode_upload(data: bytes) -> tuple[str, list[str]]:
    """The upload's text and any warnings; raise ImportFileError when it is not text we can read.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are read as they are; text that is not UTF-8 but is
    valid GB18030 (GBK is a subset) is read as GB18030 with a warning.
    """
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
            "Split it into smaller files."
        )
    if not data.strip():
        raise ImportFileError("The file is empty.")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ImportFileError(
                f"This is not a text file (it looks like {what}). Upload a CSV, TSV or TOML file saved as "
                "UTF-8: in Excel, use File > Save As > CSV UTF-8."
            )
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise ImportFileError(NOT_UTF8)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(NOT_UTF8) from None
        return _check_text(text.removeprefix("\ufeff")), []
    sample = data[:8192]
    nuls = sample.count(0)
    if nuls:
        if nuls * 3 > len(sample):
            # Every other byte NUL: UTF-16 that lost its byte order mark.
            raise ImportFileError(
                "The file looks like UTF-16 text without a byte order mark: "
                "save it as UTF-8 CSV and try again."
            )
        if nuls > max(4, len(sample) // 100):
            raise ImportFileError("This is not a text file. Upload a CSV, TSV or TOML file saved as UTF-8.")
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in (0x09, 0x0A, 0x0D, 0x0C, 0x1B))
    if controls > max(8, len(sample) // 20):
        raise ImportFileError("This is not a text file. Upload a CSV, TSV or TOML file saved as UTF-8.")
    try:
        return _check_text(data.decode("utf-8-sig")), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(NOT_UTF8) from None
    if not _plausible_chinese(text):
        raise ImportFileError(NOT_UTF8)
    return _check_text(text.removeprefix("\ufeff")), [
        "The file is not UTF-8: it was read as GB18030 (the Chinese Windows encoding). Check the preview; "
        "if characters look wrong, save the file as UTF-8 CSV and upload it again."
    ]


def _check_text(text: str) -> str:
    if not text.strip():
        raise ImportFileError("The file is empty.")
    return text


def _plausible_chinese(text: str) -> bool:
    """GB18030 decodes almost any bytes; refuse text whose non-ASCII characters are mostly not what
    Chinese text holds (private-use characters from GBK's user areas, rare planes)."""
    odd = total = 0
    for char in text:
        code = ord(char)
        if code < 0x80:
            continue
        total += 1
        if not (
            0xA0 <= code <= 0x2FF  # Latin with tone marks, ˇ ˉ
            or 0x370 <= code <= 0x4FF  # Greek, Cyrillic (both in GBK)
            or 0x2000 <= code <= 0x2BFF  # punctuation, symbols, arrows, box drawing, shapes
            or 0x2E80 <= code <= 0x9FFF  # CJK radicals, punctuation, kana, bopomofo, ideographs
            or 0xF900 <= code <= 0xFAFF
            or 0xFE00 <= code <= 0xFFEF  # variation selectors, vertical forms, full-width forms
            or 0x1F000 <= code <= 0x1FAFF  # emoji
            or 0x20000 <= code <= 0x2FFFF  # CJK extensions
        ):
            odd += 1
    return total == 0 or odd * 20 <= total
