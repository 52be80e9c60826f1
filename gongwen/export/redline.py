"""修订对照: what changed in a material between two published versions, word by word.

Pure (no mkdocs). A material's sources are a mapping {file name: Markdown text}, as kept in
each published version's snapshot (see hooks/publish_hooks.py). Texts are compared paragraph
by paragraph first, which is cheap and keeps every change inside the paragraph it belongs
to; changed paragraphs are then compared token by token with jieba (the project's user
dictionary loaded), so a change shows as whole words, as in Word's tracked changes.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..mdtext import md_unescape
from ..untrusted import esc

USER_DICT = Path(__file__).parent.parent / "data" / "jieba_user_dict.txt"

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

_jieba = None


def _tokenizer():
    # The global jieba instance: a site build has usually loaded its dictionary already
    # (Material's search plugin), and a second Tokenizer would cost ~0.7 s and ~90 MiB.
    global _jieba
    if _jieba is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.load_userdict(str(USER_DICT))
        _jieba = jieba
    return _jieba


def tokenize(text: str) -> list[str]:
    """Words as jieba cuts them (no HMM: unknown runs fall apart into single characters,
    which makes a change inside them smaller, not larger)."""
    return _tokenizer().lcut(text, HMM=False) if text else []


@dataclass(frozen=True)
class Op:
    kind: str  # equal | insert | delete
    text: str


def diff_words(old: str, new: str) -> list[Op]:
    """Word-level diff of two texts: equal, deleted and inserted runs, in reading order;
    where a run was replaced, the deletion comes first."""
    a, b = tokenize(old), tokenize(new)
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(Op(EQUAL, "".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(Op(DELETE, "".join(a[i1:i2])))
        if j2 > j1:
            ops.append(Op(INSERT, "".join(b[j1:j2])))
    return _merge(ops)


def _merge(ops: list[Op]) -> list[Op]:
    out: list[Op] = []
    for op in ops:
        if not op.text:
            continue
        if out and out[-1].kind == op.kind:
            out[-1] = Op(op.kind, out[-1].text + op.text)
        else:
            out.append(op)
    return out


# --- paragraphs of a Markdown source -------------------------------------------------

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*(?:\{[^}]*\})?\s*#*\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
# Bold (a point's lead) survives into the comparison as a pair of private-use characters:
# they are compared like text (making text bold is a change) and become <b> in the page.
BOLD_ON, BOLD_OFF = "\ue000", "\ue001"


@dataclass(frozen=True)
class Para:
    level: int  # 0 body text, 1-6 heading level
    text: str  # plain text: no heading marks, emphasis markers or escapes

    @property
    def key(self) -> str:
        return f"{self.level}\x00{self.text}"


def paragraphs(source: str) -> list[Para]:
    """The readable paragraphs of one Markdown file: front matter and comments dropped,
    headings and body text as plain text, bold kept as BOLD_ON … BOLD_OFF (a point's lead)."""
    text = _COMMENT.sub("", "\n".join(_body_lines(source)))
    out: list[Para] = []
    buf: list[str] = []

    def flush():
        if buf:
            out.append(Para(0, _plain(" ".join(s.strip() for s in buf))))
            buf.clear()

    for line in text.split("\n"):
        m = _HEADING.match(line)
        if m:
            flush()
            out.append(Para(len(m.group(1)), _plain(m.group(2))))
        elif line.strip():
            buf.append(line)
        else:
            flush()
    flush()
    return [p for p in out if p.text]


def _body_lines(source: str) -> list[str]:
    # Front matter is metadata, not text; only its fences matter here (it was valid YAML
    # when the version was built).
    lines = source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return lines[i + 1:]
    return lines


def _plain(text: str) -> str:
    return md_unescape(_EMPHASIS.sub(BOLD_ON + r"\2" + BOLD_OFF, text)).strip()


def numbered(files: dict[str, str]) -> dict[str, str]:
    """A material's sources ({file name: Markdown}) with the numbers the site shows (一、（一）
    一是) written in, so a reviewer can cite the redline as the page. Sources that cannot be
    read as a material are compared as written."""
    import tempfile

    from ..check.run import resolve_schema
    from ..diagnostics import InputError
    from ..numbering import number_source
    from ..read import load

    with tempfile.TemporaryDirectory(prefix="gongwen-redline-") as tmp:
        folder = Path(tmp)
        paths = {}
        for name, text in files.items():
            if "/" in name or "\\" in name or name.startswith(".") or not name.endswith(".md"):
                return files  # not a flat material folder as snapshots keep it
            paths[name] = folder / name
            paths[name].write_text(text, encoding="utf-8")
        try:
            mat = load(folder)
        except InputError:
            return files
        schema = resolve_schema(mat)[0]
        return {name: number_source(text.replace("\r\n", "\n"), str(paths[name]), mat, None, schema)
                for name, text in files.items()}


# --- comparing materials ------------------------------------------------------------------

@dataclass
class Hunk:
    trail: list[str]  # headings above the change (in the newer text)
    paras: list[tuple[int, list[Op]]]  # (heading level or 0, ops) per changed paragraph


@dataclass
class FileDiff:
    name: str
    title: str  # the file's first heading, else its name
    hunks: list[Hunk] = field(default_factory=list)
    status: str = "修改"  # 修改 | 新增 | 删除


def diff_sources(old: str, new: str) -> list[Hunk]:
    """Changed paragraphs of one file, grouped under the headings they sit in."""
    a, b = paragraphs(old), paragraphs(new)
    hunks: list[Hunk] = []
    trail: list[Para] = []
    matcher = difflib.SequenceMatcher(None, [p.key for p in a], [p.key for p in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changed: list[tuple[int, list[Op]]] = []
            if tag == "replace" and i2 - i1 == j2 - j1:
                for pa, pb in zip(a[i1:i2], b[j1:j2]):
                    if pa != pb:
                        changed.append((pb.level, diff_words(pa.text, pb.text)))
            else:
                changed += [(p.level, [Op(DELETE, p.text)]) for p in a[i1:i2]]
                changed += [(p.level, [Op(INSERT, p.text)]) for p in b[j1:j2]]
            hunks.append(Hunk([p.text for p in trail], changed))
        for p in b[j1:j2]:
            _push(trail, p)
    return hunks


def _push(trail: list[Para], p: Para) -> None:
    if p.level:
        while trail and trail[-1].level >= p.level:
            trail.pop()
        trail.append(p)


def _title(source: str, name: str) -> str:
    for p in paragraphs(source):
        if p.level:
            return _unbold(p.text)
    return name


def _unbold(text: str) -> str:
    return text.replace(BOLD_ON, "").replace(BOLD_OFF, "")


def diff_material(old_files: dict[str, str], new_files: dict[str, str]) -> list[FileDiff]:
    """Per file of a material (newer order, then removed files): what changed, numbered."""
    old_files, new_files = numbered(old_files) if old_files else old_files, numbered(new_files) if new_files else new_files
    out: list[FileDiff] = []
    for name in list(new_files) + [n for n in old_files if n not in new_files]:
        old, new = old_files.get(name), new_files.get(name)
        src = new if new is not None else old
        fd = FileDiff(name, _title(src, name))
        if old is None:
            fd.status = "新增"
        elif new is None:
            fd.status = "删除"
        fd.hunks = diff_sources(old or "", new or "")
        if fd.hunks:
            out.append(fd)
    return out


@dataclass
class Change:
    rel: str
    title: str
    kind: str  # 修改 | 新增 | 删除


def changes(old: dict[str, dict], new: dict[str, dict]) -> list[Change]:
    """Materials that differ between two snapshots ({rel: {"title", "files"}}): a material
    counts as changed when its readable text differs, not its front matter or spacing."""
    out: list[Change] = []
    for rel in sorted(set(old) | set(new)):
        if rel not in old:
            out.append(Change(rel, new[rel].get("title") or rel, "新增"))
        elif rel not in new:
            out.append(Change(rel, old[rel].get("title") or rel, "删除"))
        elif _readable(old[rel]["files"]) != _readable(new[rel]["files"]):
            out.append(Change(rel, new[rel].get("title") or rel, "修改"))
    return out


def _readable(files: dict[str, str]) -> dict[str, list[Para]]:
    return {name: paragraphs(text) for name, text in files.items()}


# --- HTML ---------------------------------------------------------------------------------

def ops_html(ops: list[Op]) -> str:
    """<ins>/<del> runs, bold where the text was bold. The older text's bold state follows the
    equal and deleted runs, the newer one's the equal and inserted runs."""
    bold = {DELETE: False, INSERT: False}
    parts = []
    for op in ops:
        state = DELETE if op.kind == DELETE else INSERT
        pieces = []
        for i, chunk in enumerate(re.split(f"([{BOLD_ON}{BOLD_OFF}])", op.text)):
            if i % 2:
                on = chunk == BOLD_ON
                bold[state] = on
                if op.kind == EQUAL:
                    bold[DELETE] = on
                continue
            if chunk:
                text = esc(chunk)
                pieces.append(f"<b>{text}</b>" if bold[state] else text)
        text = "".join(pieces)
        if text:
            parts.append(text if op.kind == EQUAL else f"<{op.kind[:3]}>{text}</{op.kind[:3]}>")
    return "".join(parts)


def count(diffs: list[FileDiff]) -> tuple[int, int]:
    """(insertions, deletions): runs of inserted and deleted words."""
    ins = dels = 0
    for fd in diffs:
        for h in fd.hunks:
            for _, ops in h.paras:
                ins += sum(op.kind == INSERT for op in ops)
                dels += sum(op.kind == DELETE for op in ops)
    return ins, dels


def redline_html(diffs: list[FileDiff]) -> str:
    """The body of a comparison page: changed paragraphs, with inserted words in <ins> and
    deleted words in <del>, under the heading trail where they stand."""
    if not diffs:
        return '<p class="gongwen-redline__none">两个版本的正文相同。</p>\n'
    out = ['<div class="gongwen-redline">']
    for fd in diffs:
        note = "" if fd.status == "修改" else f"（本部分为{fd.status}）"
        out.append(f'<section class="gongwen-redline__file"><h2>{esc(fd.title)}{note}</h2>')
        for h in fd.hunks:
            out.append('<div class="gongwen-redline__hunk">')
            trail = [_unbold(t) for t in h.trail if _unbold(t) != fd.title]
            if trail:
                out.append(f'<p class="gongwen-redline__trail">{esc(" › ".join(trail))}</p>')
            for level, ops in h.paras:
                cls = "gongwen-redline__h" if level else "gongwen-redline__p"
                out.append(f'<p class="{cls}">{ops_html(ops)}</p>')
            out.append("</div>")
        out.append("</section>")
    out.append("</div>")
    return "\n".join(out) + "\n"


# --- pages ----------------------------------------------------------------------------------

def date_zh(iso: str) -> str:
    """2025-01-05 -> 2025年1月5日 (GB/T 9704: full year, no padding)."""
    try:
        y, m, d = (int(x) for x in iso[:10].split("-"))
    except ValueError:
        return iso
    return f"{y}年{m}月{d}日"


def redline_page(title: str, prev: dict, cur: dict, diffs: list[FileDiff]) -> str:
    """Markdown of a material's 修订对照 page (prev/cur: {"version", "title", "date"})."""
    ins, dels = count(diffs)
    return (
        # Out of the search index: its text is the material's, found on the material's own pages.
        "---\nsearch:\n  exclude: true\n---\n\n"
        f"# 修订对照\n\n"
        f'<p class="gongwen-redline__about">《{esc(title)}》从 <b>{esc(prev.get("title") or prev["version"])}</b>'
        f'（{esc(date_zh(prev.get("date", "")))}）到 <b>{esc(cur.get("title") or cur["version"])}</b>'
        f'（{esc(date_zh(cur.get("date", "")))}）的修改：共新增 {ins} 处、删除 {dels} 处。'
        f'<span class="gongwen-redline__key-ins">新增的文字</span>加下划线，'
        f'<span class="gongwen-redline__key-del">删除的文字</span>加删除线，未修改的段落从略。</p>\n\n'
        f"[返回材料](index.md)\n\n"
        + redline_html(diffs)
    )


def revisions_page(cur: dict, history: list[dict], href) -> str:
    """Markdown of the 修订记录 page: this version, then earlier ones (newest first), each with
    its date and changed materials. href(version, rel, kind) gives a link or None."""
    rows = ["# 修订记录", "", "本站各版本的发布日期和修改的材料。点击材料名查看该版本与上一版本的修订对照。", "",
            "| 版本 | 发布日期 | 修改的材料 |", "| --- | --- | --- |"]
    for i, snap in enumerate([cur] + history):
        name = esc(snap.get("title") or snap["version"])
        name = f"**{name}**（当前版本）" if i == 0 else name
        items = []
        for c in snap.get("changes") or []:
            label = esc(c["title"])
            link = href(snap["version"], c["rel"], c["kind"])
            items.append((f'<a href="{link}">{label}</a>' if link else label) + f"（{c['kind']}）")
        if not items:
            items = ["首次发布" if not snap.get("previous") else "无修改"]
        rows.append(f"| {name} | {esc(date_zh(snap.get('date', '')))} | {'；'.join(items)} |")
    return "\n".join(rows) + "\n"
