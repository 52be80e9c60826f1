"""The 批注 sidecar of a material: `批注.yaml` in its folder holds the comments a leader left in
a returned Word copy (written by `gongwen revisions --apply`), until the writer deals with them
and deletes the entries or the file. Read here because the checker reports each entry
(review.comment) and the site counts them; written by gongwen.revisions.

Each entry: 文件 (a file of the folder), 行, 作者, 日期, 批注, and optionally 原文 (the words
the comment was attached to)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import input_error

COMMENTS_FILE = "批注.yaml"
HEADER = ("# 领导在返回的 Word 稿中留下的批注（gongwen revisions --apply 写入）。\n"
          "# 每条批注在 gongwen check 和预览中显示为提示 review.comment；处理完后删除该条，全部处理完后删除本文件。\n")
KEYS = ("文件", "行", "作者", "日期", "批注", "原文")
MAX_BYTES = 4 << 20  # a sidecar is a handful of comments; anything larger is not one


@dataclass(frozen=True)
class SidecarComment:
    file: str  # name of the source file in the material folder
    line: int
    author: str
    date: str
    text: str
    quote: str = ""
    entry_line: int = 1  # where the entry starts in 批注.yaml (for messages about the file itself)

    def to_dict(self) -> dict:
        out = {"文件": self.file, "行": self.line, "作者": self.author, "日期": self.date, "批注": self.text}
        if self.quote:
            out["原文"] = self.quote
        return out

    def key(self) -> tuple:
        return (self.file, self.line, self.author, self.text)


def comments_path(folder: str | Path) -> Path:
    return Path(folder) / COMMENTS_FILE


def read_comments(folder: str | Path) -> list[SidecarComment]:
    """The entries of a folder's 批注.yaml ([] without one). A file that is not a list of such
    entries is an input error naming the file, line and what to fix."""
    import yaml

    path = comments_path(folder)
    if not path.is_file():
        return []
    if path.stat().st_size > MAX_BYTES:
        raise input_error(path, f"{COMMENTS_FILE} 过大，不是批注文件", "删除该文件，或重新运行 gongwen revisions --apply",
                          rule="review.comment")
    try:
        text = path.read_text(encoding="utf-8-sig")
        node = yaml.compose(text, Loader=yaml.SafeLoader)  # line numbers of the entries
        data = yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        # Where the broken construct opens (an unclosed [ …), else where the parser stopped.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = getattr(mark, "line", 0) + 1
        raise input_error(path, f"{COMMENTS_FILE} 无法读取：{exc.__class__.__name__}",
                          "应为 UTF-8 的 YAML 列表，每条有 文件、行、作者、日期、批注", line=line,
                          rule="review.comment") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise input_error(path, f"{COMMENTS_FILE} 应为一个列表（每条批注以“- ”开头）", "见 README“领导修改后的 Word 怎样合并回来”",
                          rule="review.comment")
    out = []
    for i, item in enumerate(data):
        line = node.value[i].start_mark.line + 1 if node is not None else 1
        if not isinstance(item, dict) or not item.get("文件") or not str(item.get("行", "")).isdigit():
            raise input_error(path, f"{COMMENTS_FILE} 第 {i + 1} 条缺少“文件”或“行”", "每条应有 文件、行、作者、日期、批注",
                              line=line, rule="review.comment")
        out.append(SidecarComment(str(item["文件"]), int(item["行"]), str(item.get("作者") or ""),
                                  str(item.get("日期") or ""), str(item.get("批注") or ""),
                                  str(item.get("原文") or ""), line))
    return out


def comments_yaml(comments: list[SidecarComment]) -> str:
    """The sidecar's text: the header, then the entries in file and line order."""
    import yaml

    items = [c.to_dict() for c in sorted(comments, key=lambda c: (c.file, c.line, c.date, c.author))]
    return HEADER + yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=1000)


__all__ = ["COMMENTS_FILE", "SidecarComment", "comments_path", "comments_yaml", "read_comments"]
