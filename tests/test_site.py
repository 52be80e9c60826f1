"""The real site, built in tmp_path with the project's config: numbering, listing, nav size,
strictness of diagnostics, the classified gate, and no reference to any outside host."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from .conftest import SEED_DIR, build_site, copy_project

SEED_PAGE = "2023-zhuti-jiaoyu-banzi/01-存在的问题/index.html"


def text_of(fragment: str) -> str:
    fragment = re.sub(r'<a class="headerlink".*?</a>', "", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_seed_page_numbered_in_page_and_toc(built_site):
    page = (built_site / SEED_PAGE).read_text(encoding="utf-8")
    body = page[page.index('<article'):page.index('</article>')]
    headings = re.findall(r"<h([12])[^>]*>(.*?)</h\1>", body)
    assert [text_of(h) for _, h in headings[:3]] == ["一、存在的问题", "（一）在理论学习方面", "（二）在政治素质方面"]
    paras = [text_of(p) for p in re.findall(r"<p>(.*?)</p>", body)]
    assert paras[0].startswith("一是理论学习不深不透。") and paras[1].startswith("二是指导实践力度有待提升。")
    # Anchors carry no number, so links survive re-numbering.
    assert 'id="在理论学习方面"' in body
    toc = page[page.index('data-md-component="toc"'):]
    assert "（一）在理论学习方面" in text_of(toc)
    # The redaction star is shown as a star, not turned into emphasis.
    assert "乡镇*个村级党组织" in text_of(body)


def test_home_lists_materials_from_front_matter(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", home, re.DOTALL) if "2023年第二批主题教育" in r)
    cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
    assert cells[1:] == ["2023年主题教育专题民主生活会领导班子对照检查材料", "2023", "某镇领导班子", "草稿", "0 / 0"]
    assert 'href="2023-zhuti-jiaoyu-banzi/"' in row


def test_rules_page_generated_from_registry(built_site):
    page = (built_site / "rules" / "index.html").read_text(encoding="utf-8")
    for rule_id in ("content.placeholder", "content.residue"):
        assert rule_id in page


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)[^"'\s>]+|url\(\s*["']?(?:https?:)?//[^)]+\)""")


def test_no_reference_to_outside_hosts(built_site):
    offenders = []
    for f in built_site.rglob("*"):
        if f.suffix in (".html", ".css", ".js", ".xml") and f.is_file():
            for m in EXTERNAL.finditer(f.read_text(encoding="utf-8", errors="replace")):
                offenders.append(f"{f.relative_to(built_site)}: {m.group(0)[:80]}")
    assert offenders == []


def test_page_size_does_not_grow_with_number_of_materials(tmp_path):
    docs = tmp_path / "docs-src"
    shutil.copytree(SEED_DIR.parent, docs)
    for i in range(40):
        shutil.copytree(SEED_DIR, docs / f"copy-{i:02d}")
    site = build_site(copy_project(tmp_path, docs))
    page = (site / SEED_PAGE).read_text(encoding="utf-8")
    # The sidebar holds this material only, not the 40 others.
    assert "copy-07" not in page
    one = (site / SEED_PAGE).stat().st_size
    copy = (site / "copy-07/01-存在的问题/index.html").stat().st_size
    assert abs(one - copy) < 2000
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count("2023年第二批主题教育") >= 41


def _material(folder: Path, status: str, extra_meta: str = "", body: str = "") -> None:
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(
        f"---\ntype: 2023-zhuti-jiaoyu-banzi\nyear: 2023\nunit: 某镇领导班子\n密级: 内部\n状态: {status}\n{extra_meta}---\n\n"
        "# 2023年主题教育专题民主生活会领导班子对照检查材料\n\n现对照检查如下：\n", encoding="utf-8")
    for i, name in enumerate(["存在的问题", "原因剖析", "整改措施"], 1):
        text = f"# {name}\n\n"
        if name == "存在的问题":
            for aspect in ["理论学习", "政治素质", "能力本领", "担当作为", "工作作风", "廉洁自律"]:
                text += f"## 在{aspect}方面\n\n**{aspect}有差距。**如，全年集中学习仅3次，{body or '少于计划的6次'}。\n\n"
        else:
            text += "## 政治站位不够高\n\n对理论学习重视不够，学用结合不紧。\n\n"
        (folder / f"{i:02d}-{name}.md").write_text(text, encoding="utf-8")


def test_placeholder_in_a_final_text_fails_strict_build_naming_file_and_line(tmp_path, caplog):
    docs = tmp_path / "docs-src"
    docs.mkdir()
    (docs / "index.md").write_text("# 首页\n\n<!-- gongwen:materials -->\n", encoding="utf-8")
    _material(docs / "m", "定稿", body="共有XX个村")
    copy_project(tmp_path, docs)
    with pytest.raises(Abort):
        build_site(tmp_path)
    messages = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.gongwen"]
    assert any("m/01-存在的问题.md:5:" in m and "content.placeholder" in m for m in messages), messages


def test_classified_material_stops_every_build(tmp_path, caplog):
    docs = tmp_path / "docs-src"
    docs.mkdir()
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    _material(docs / "secret", "定稿", extra_meta="")
    index = docs / "secret" / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("密级: 内部", "密级: 机密"), encoding="utf-8")
    copy_project(tmp_path, docs)
    with pytest.raises(Abort):
        build_site(tmp_path, strict=False)
    assert any("security.classified secret/index.md" in r.getMessage() and "机密" in r.getMessage()
               for r in caplog.records)
    assert not (tmp_path / "site" / "secret").exists()
