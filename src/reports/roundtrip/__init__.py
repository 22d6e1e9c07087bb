"""Edits come home: a circulated DOCX mapped back to its fact base, and redlines out.

- :mod:`.wordml` reads a Word document's text as Word shows it, tracked changes, comments
  and bookmarks included;
- :mod:`.fieldmap` is the map every DOCX carries: which words came from which field of
  which fact base (bookmarks in the text, a custom XML part, custom properties);
- :mod:`.review` compares an edited DOCX with its map: what changed, per field;
- :mod:`.apply` writes accepted changes into the YAML text, span by span;
- :mod:`.redline` marks the differences between two versions of a fact base.
"""
