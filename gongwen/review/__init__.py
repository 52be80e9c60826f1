"""The reviewing office's batch: INBOX -> materials in OUT/docs, 审核汇总.xlsx, 审核总览 page.

One entry point: `review(inbox, out, reference=None, rules_file=None) -> Result` (gongwen.review.batch).
Small modules, each one job: inbox (which files, folder/unit/稿次 guesses), rows (a row per
file, conclusion rules from conclusion.yaml), extras (雷同 and 台账 columns), xlsx, page
(the overview page's HTML, for hooks/review_hooks.py), workbench (OUT's site config),
command (the CLI). Loaded lazily, so `gongwen check` does not pay for it.
"""

from __future__ import annotations


def __getattr__(name: str):
    if name in ("review", "Result"):
        from . import batch

        return getattr(batch, name)
    raise AttributeError(name)


__all__ = ["Result", "review"]
