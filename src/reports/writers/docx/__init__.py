"""DOCX writer: renders the document model with python-docx, in named Word styles.

Appearance lives in Word styles (Title, Heading 1/2, List Bullet, List Number, the
``Memo Table`` table style, and ``Memo …`` paragraph styles), set from the house style or
taken from a user's reference document, so colleagues restyle a memo in Word the usual way.

- :mod:`.stylesheet` writes the house style into Word styles;
- :mod:`.render` adds the blocks of one document, one method per node type;
- :mod:`.numbering` defines Word numbering: list levels, section numbers, Q&A labels;
- :mod:`.footnotes` makes the footnotes part python-docx has no API for;
- :mod:`.ooxml` builds the WordprocessingML python-docx has no API for, as elements;
- :mod:`.package` saves the package reproducibly.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx

from ... import cache
from ...errors import UsageError
from ...style import HouseStyle
from .ooxml import qn
from .package import save
from .reference import sanitize
from .render import Render
from .stylesheet import StyleSheet


class DocxWriter:
    """Render documents as editable Word memos."""

    def __init__(
        self, style: HouseStyle, reference_docx: Path | None = None, **options: Any
    ) -> None:
        self.hs = style
        self.reference = reference_docx
        if reference_docx is not None and not Path(reference_docx).is_file():
            raise UsageError(f"reference document {reference_docx} does not exist")
        self._templates: dict[str, bytes] = {}
        self._cached: dict[str, bool] = {}
        """Languages whose base came from the disk cache."""
        self._reference: bytes | None = None

    def reference_bytes(self) -> bytes | None:
        """The reference document reduced to styles and layout (read once); ``None``
        without one. Raise :class:`UsageError` when it cannot be used."""
        if self.reference is not None and self._reference is None:
            self._reference = sanitize(Path(self.reference))
        return self._reference

    def open(self, lang: str) -> Any:
        """A fresh python-docx document for a memo in ``lang``, from the styled base.

        A cached base that does not open (damaged on disk) is made again.
        """
        try:
            return docx.Document(io.BytesIO(self.template(lang)))
        except Exception:  # python-docx raises several types for a damaged package
            if not self._cached.pop(lang, False):
                raise
            self._templates.pop(lang)
            return docx.Document(io.BytesIO(self.template(lang, use_cache=False)))

    def template(self, lang: str, use_cache: bool = True) -> bytes:
        """The starting package for a memo in ``lang`` (a BCP 47 tag): styles and page set
        up, body empty.

        Made once per language and reopened for each memo, which is several times faster
        than restyling python-docx's default template every time.
        """
        if lang not in self._templates:
            cached = cache.read("docx", self._cache_key(lang)) if use_cache else None
            if cached is not None:
                self._templates[lang] = cached
                self._cached[lang] = True
                return cached
            reference = self.reference_bytes()
            try:
                word = docx.Document(io.BytesIO(reference) if reference is not None else None)
            except Exception as exc:  # python-docx raises several types for a bad package
                msg = f"cannot open reference document {self.reference}: {type(exc).__name__}"
                raise UsageError(msg) from None
            body = word.element.body
            # The default template ships one empty paragraph; a memo starts with its title.
            for p in list(body.iterchildren(qn("w:p"))):
                body.remove(p)
            if reference is None:
                _trim_default_template(word)
                _page_setup(word, self.hs)  # a reference document's page set-up is kept
            StyleSheet(word, self.hs, lang, reference=reference is not None).apply()
            buf = io.BytesIO()
            word.save(buf)
            self._templates[lang] = buf.getvalue()
            cache.write("docx", self._cache_key(lang), self._templates[lang])
        return self._templates[lang]

    def _cache_key(self, lang: str) -> str:
        """Everything the styled base depends on: versions, language, house style and the
        reference document's bytes."""
        import hashlib

        from lxml import etree

        from ... import __version__

        digest = hashlib.sha256()
        for part in (
            __version__, docx.__version__, etree.__version__, _code_fingerprint(), lang,
            repr(self.hs),
        ):  # fmt: skip
            digest.update(str(part).encode("utf-8", "surrogatepass") + b"\0")
        reference = self.reference_bytes()
        if reference is not None:
            digest.update(reference)
        return digest.hexdigest() + ".docx"

    def render(self, doc: Any) -> bytes:
        """Return the DOCX bytes of ``doc``."""
        return Render(self, doc).run()


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """A digest of the modules that make the styled base, so a cached base made by other
    code (a development checkout between releases) is never taken for this code's."""
    import hashlib

    digest = hashlib.sha256()
    for module in ("__init__.py", "stylesheet.py", "numbering.py", "ooxml.py", "reference.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()


def _trim_default_template(word: Any) -> None:
    """Drop what python-docx's default template carries and a memo has no use for.

    Its blank thumbnail shows as an empty preview in file browsers; the Word 2010
    ``stylesWithEffects`` copy of the styles (438 kB) and a custom XML item are ignored by
    every current reader. Parts no relationship reaches are not saved.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    styles_with_effects = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
    unused = {styles_with_effects, RT.CUSTOM_XML}
    for rel_id, rel in list(word.part.rels.items()):
        if rel.reltype in unused:
            word.part.drop_rel(rel_id)
    package_rels = word.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rel_id]


def _page_setup(word: Any, hs: HouseStyle) -> None:
    """Paper size and margins of the document's (only) section, from the house style."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Emu

    from ...layout import MM, emu

    sec = word.sections[0]
    top, right, bottom, left = hs.margins
    page_w, page_h = hs.page_size
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width = Emu(emu(page_w))
    sec.page_height = Emu(emu(page_h))
    sec.top_margin = Emu(emu(top))
    sec.bottom_margin = Emu(emu(bottom))
    sec.left_margin = Emu(emu(left))
    sec.right_margin = Emu(emu(right))
    sec.header_distance = Emu(emu(9 * MM))
    sec.footer_distance = Emu(emu(7 * MM))


__all__ = ["DocxWriter", "save"]
