"""Save a python-docx document as reproducible bytes.

python-docx's public ``save`` stamps the current time on every zip entry and orders parts
as it meets them; the saved package is rewritten here with fixed entry times and a fixed
order, so equal inputs give equal bytes.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip entry can hold; any fixed value would do."""


def save(word: Any) -> bytes:
    """The document's package bytes: saved by python-docx, then made reproducible."""
    buf = io.BytesIO()
    word.save(buf)
    return normalise(buf.getvalue())


def normalise(package: bytes) -> bytes:
    """Rewrite a zip package with fixed entry times, modes and order.

    ``[Content_Types].xml`` comes first, as some readers expect; the rest is sorted.
    """
    with zipfile.ZipFile(io.BytesIO(package)) as src:
        entries = {info.filename: src.read(info) for info in src.infolist()}
    out = io.BytesIO()
    order = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, entries[name])
    return out.getvalue()
