"""Image files a memo shows (figures, the logo): PNG or JPEG, checked before use.

An image may come from a pull request: it is refused, with a reason, when it is not what
its name says, is too large a file, or would decode to too many pixels (a 50,000 x 50,000
PNG is a few kilobytes on disk and ten gigabytes in memory). Only the header is read here.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""Largest image file accepted."""
MAX_PIXELS = 40_000_000
"""Most pixels an image may have (about 7,700 x 5,200)."""

_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


@dataclass(frozen=True, slots=True)
class ImageInfo:
    kind: str
    """``PNG`` or ``JPEG``."""
    width: int
    height: int


class ImageError(ValueError):
    """Why an image cannot be used, as a message for the user."""


def inspect(path: Path) -> ImageInfo:
    """Check ``path`` is a usable PNG or JPEG and return its kind and size in pixels.

    Raise :class:`ImageError` saying what is wrong.
    """
    try:
        info = path.stat()
    except OSError:
        raise ImageError("no such file") from None
    if not stat.S_ISREG(info.st_mode):
        raise ImageError("is not a regular file")
    if info.st_size > MAX_IMAGE_BYTES:
        raise ImageError(f"is {info.st_size:,} bytes, over the limit of {MAX_IMAGE_BYTES:,}")
    with path.open("rb") as fh:
        head = fh.read(8)
    kind = next((k for magic, k in _MAGIC.items() if head.startswith(magic)), None)
    if kind is None:
        raise ImageError("is not a PNG or JPEG image (its content says otherwise)")
    from PIL import Image, UnidentifiedImageError

    try:
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS * 2  # Pillow's own bomb check, past ours
        with Image.open(path) as image:  # reads the header only
            width, height = image.size
            if image.format != kind:
                raise ImageError(f"is a {image.format} image, not the {kind} its bytes begin as")
    except Image.DecompressionBombError:  # far past our limit: Pillow stops at the header
        raise ImageError(
            f"has more than {MAX_PIXELS:,} pixels (the limit); scale it down"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, ImageError):
            raise
        raise ImageError(f"is a damaged {kind} image") from None
    if width <= 0 or height <= 0:
        raise ImageError("has no pixels")
    if width * height > MAX_PIXELS:
        raise ImageError(
            f"is {width:,} x {height:,} pixels, over the limit of {MAX_PIXELS:,} pixels; "
            "scale it down"
        )
    return ImageInfo(kind, width, height)
