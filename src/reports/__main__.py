"""``python -m reports``: the same as the ``reports`` command."""

from .cli import main

main()
