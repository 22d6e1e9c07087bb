"""``python -m reports``: the same as the ``reports`` command.

``python -m`` puts the working folder first on ``sys.path``, so a ``yaml.py`` or a
``reportlab_settings.py`` in a folder of fact bases (which may come from a pull request)
would be imported instead of, or into, the real libraries. That entry is removed before
anything else is imported, as Python 3.11's ``-P`` option would do.
"""

import os
import sys

_here = os.getcwd()
sys.path[:] = [p for p in sys.path if p not in ("", ".", _here)]

from reports.cli import main  # noqa: E402 - only once the working folder is off the path

main()
