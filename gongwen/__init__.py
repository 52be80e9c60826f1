"""gongwen: check, number, import and export Chinese party and government materials.

The core is pure Python and never imports mkdocs, so the same checks run from the
CLI, pre-commit, CI or any site generator.
"""

from __future__ import annotations

__version__ = "0.1.0"
