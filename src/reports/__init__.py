"""reports: docs-as-code for government briefing memos.

A YAML fact base is validated, rendered through a Jinja2 template into a small document
model, and written as a PDF memo and an editable DOCX. The public API is small::

    from reports import Builder, BuildOptions, load_facts
    facts = load_facts("data/memo.yaml")
    files = Builder(BuildOptions()).render(facts)   # {"pdf": b"...", "docx": b"..."}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .build import Builder, BuildOptions
    from .errors import ReportError
    from .model import FactBase
    from .validate import load_facts

__all__ = [
    "BuildOptions",
    "Builder",
    "FactBase",
    "ReportError",
    "__version__",
    "load_facts",
]

_LAZY = {
    "BuildOptions": "build",
    "Builder": "build",
    "FactBase": "model",
    "ReportError": "errors",
    "load_facts": "validate",
}


def __getattr__(name: str) -> Any:
    # Lazy so that `reports --version` or `reports validate` never import ReportLab.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reports' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __name__), name)
