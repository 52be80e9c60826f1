"""`gongwen revisions`: a leader's 修订 and 批注 in a returned copy of the exported .docx come
back into the Markdown sources as exactly the intended edits (tests/wordedit.py writes them as
Word does); conflicts are listed and not applied; comments become review.comment findings."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest

from gongwen.cli import main

from .wordedit import WordEdit

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "revisions" / "青禾镇党委"
PROBLEMS = "01-存在的问题.md"
LEDGER = "02-整改清单.md"
LEAD_LINE = ("**学习贯彻党的创新理论还有差距。**班子全年开展理论学习中心组学习12次，但学用结合不够紧密。"
             "如，学习关于新质生产力的重要论述后，直到9月才形成茶叶产业工作方案。")


@pytest.fixture
def material(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("GONGWEN_CACHE_DIR", str(tmp_path / "cache"))  # LibreOffice conversions
    folder = tmp_path / "docs" / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    return folder


def export(folder: Path) -> Path:
    out = folder.parent.parent / "征求意见稿.docx"
    assert main(["export", str(folder), "--to", "docx", "-o", str(out)]) == 0
    return out


def returned(material: Path, tmp_path: Path, author: str, edit, date: str = "2025-01-10T09:30:00Z") -> Path:
    """A freshly exported copy, edited by `author` (edit(WordEdit)) and saved as sent back."""
    session = WordEdit(export(material), author, date)
    edit(session)
    return session.save(tmp_path / f"{author}.docx")


def revisions(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["revisions", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def sources(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def changed_lines(diff: str) -> list[str]:
    return [x for x in diff.splitlines() if x[:1] in "+-" and not x.startswith(("+++", "---"))]


def test_a_change_in_a_lead_sentence_comes_back_as_exactly_that_edit(material, tmp_path, capsys):
    docx = export(material)
    edit = WordEdit(docx, "张书记", "2025-01-10T09:30:00Z")
    edit.replace("还有", "存在", where="还有差距")
    copy = edit.save(tmp_path / "张书记.docx")
    before = sources(material)

    code, diff, err = revisions(capsys, copy, material)
    assert code == 0
    new_line = LEAD_LINE.replace("还有差距", "存在差距")
    assert changed_lines(diff) == [f"-{LEAD_LINE}", f"+{new_line}"]  # the bold marks stay around the lead
    assert diff.startswith(f"--- a/{PROBLEMS}\n+++ b/{PROBLEMS}\n")
    assert sources(material) == before, "without --apply nothing is written"
    assert "张书记（2025-01-10）“还有”改为“存在”" in err
    assert "建议的提交说明" in err and "吸收领导修改意见" in err

    code, _, err = revisions(capsys, copy, material, "--apply")
    assert code == 0
    after = sources(material)
    assert after[PROBLEMS] == before[PROBLEMS].replace(LEAD_LINE, new_line)
    assert {k: v for k, v in after.items() if k != PROBLEMS} == {k: v for k, v in before.items() if k != PROBLEMS}
    assert not list(material.glob(".*")), "no temporary file left behind"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装")
@pytest.mark.parametrize("fmt", ["doc", "odt"])
def test_the_same_through_a_doc_round_trip(material, tmp_path, capsys, fmt):
    docx = export(material)
    edit = WordEdit(docx, "张书记")
    edit.replace("还有", "存在", where="还有差距")
    edit.comment("带头增强党性、严守纪律、砥砺作风", "这一方面请补充事例")
    copy = edit.save(tmp_path / "张书记.docx")
    # LibreOffice saves the edited copy as .doc (Word 97), as a reviewer on an old Word would,
    # or as .odt; gongwen converts it back to .docx through LibreOffice.
    out = tmp_path / "doc"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", fmt, "--outdir", str(out), str(copy)],
                   check=True, capture_output=True, timeout=180)
    doc = out / f"张书记.{fmt}"
    assert doc.read_bytes().startswith(b"\xd0\xcf\x11\xe0" if fmt == "doc" else b"PK")  # a real OLE .doc, a zip

    code, diff, err = revisions(capsys, doc, material)
    assert code == 0, err
    assert changed_lines(diff) == [f"-{LEAD_LINE}", f"+{LEAD_LINE.replace('还有差距', '存在差距')}"]
    assert f"{PROBLEMS} 第 9 行：张书记" in err and "这一方面请补充事例" in err


def test_a_deleted_point_removes_its_paragraph(material, tmp_path, capsys):
    copy = returned(material, tmp_path, "张书记", lambda e: e.delete_paragraph("执行民主集中制不够严格规范"))
    before = sources(material)[PROBLEMS]
    point = next(x for x in before.splitlines() if x.startswith("**执行民主集中制"))

    code, diff, err = revisions(capsys, copy, material, "--apply")
    assert code == 0
    assert changed_lines(diff) == [f"-{point}", "-"]  # the point and the blank line after it
    assert sources(material)[PROBLEMS] == before.replace(point + "\n\n", "")
    assert "删除整段“执行民主集中制不够严格规范。" in err


def test_an_inserted_point_becomes_a_new_bold_lead_paragraph(material, tmp_path, capsys):
    from gongwen.read import load

    docx = export(material)
    edit = WordEdit(docx, "李副书记")
    # Typed with its number, the lead in the 要点 style as the points around it.
    edit.insert_paragraph_after("巩固党纪学习教育成果用力不够", [
        ("二是", "要点"), ("对村级小微权力监督不够有力。", "要点"), ("如，2个村的工程项目公示不及时。", None)])
    copy = edit.save(tmp_path / "r.docx")
    before = sources(material)[PROBLEMS]

    code, diff, _ = revisions(capsys, copy, material, "--apply")
    assert code == 0
    new = "**对村级小微权力监督不够有力。**如，2个村的工程项目公示不及时。"
    assert changed_lines(diff) == ["+", f"+{new}"]
    assert sources(material)[PROBLEMS] == before.rstrip("\n") + f"\n\n{new}\n"
    points = list(load(material).sections[0].children[1].points())
    assert [p.lead for p in points] == ["巩固党纪学习教育成果用力不够。", "对村级小微权力监督不够有力。"]
    assert points[1].number is None  # the typed 二是 is gone: numbers are computed


def test_a_change_in_a_ledger_cell(material, tmp_path, capsys):
    copy = returned(material, tmp_path, "张书记", lambda e: (e.replace("3天", "5天", where="会议材料至少提前3天送达"),
                                                          e.replace("已完成", "推进中", where="已完成")))
    before = sources(material)[LEDGER]
    row = next(x for x in before.splitlines() if "会议材料" in x)

    code, diff, _ = revisions(capsys, copy, material, "--apply")
    assert code == 0
    new_row = row.replace("提前3天", "提前5天").replace("已完成", "推进中")
    assert changed_lines(diff) == [f"-{row}", f"+{new_row}"]
    assert sources(material)[LEDGER] == before.replace(row, new_row)


def test_a_comment_on_a_heading_is_a_finding_until_removed(material, tmp_path, capsys):
    docx = export(material)
    edit = WordEdit(docx, "李副书记", "2025-01-11T08:00:00Z")
    edit.comment("带头增强党性、严守纪律、砥砺作风", "这一方面请补充<b>事例</b>")
    copy = edit.save(tmp_path / "r.docx")
    before = sources(material)

    code, diff, err = revisions(capsys, copy, material, "--apply")
    assert code == 0 and diff == ""
    assert f"{PROBLEMS} 第 9 行：李副书记（2025-01-11）：这一方面请补充<b>事例</b>" in err
    sidecar = material / "批注.yaml"
    import yaml

    assert yaml.safe_load(sidecar.read_text(encoding="utf-8")) == [
        {"文件": PROBLEMS, "行": 9, "作者": "李副书记", "日期": "2025-01-11", "批注": "这一方面请补充<b>事例</b>",
         "原文": "带头增强党性、严守纪律、砥砺作风"}]
    after = sources(material)
    assert {k: v for k, v in after.items() if k != "批注.yaml"} == before  # a comment edits no source

    capsys.readouterr()
    main(["check", str(material)])
    out = capsys.readouterr().out
    found = [x for x in out.splitlines() if "review.comment" in x]
    assert found == [(f"{material / PROBLEMS}:9:1: 提示 review.comment 批注（李副书记，2025-01-11）："
                      "这一方面请补充<b>事例</b>（处理后从 批注.yaml 中删除这一条）")]

    # Applying the same copy again adds nothing; deleting the file ends the finding.
    revisions(capsys, copy, material, "--apply")
    assert sidecar.read_text(encoding="utf-8").count("批注: ") == 1
    sidecar.unlink()
    main(["check", str(material)])
    assert "review.comment" not in capsys.readouterr().out


def test_two_reviewers_conflicting_edits_are_shown_with_both_names(material, tmp_path, capsys):
    docx = export(material)
    zhang = WordEdit(docx, "张书记")
    zhang.replace("还有", "存在", where="还有差距")  # the same words as 李副书记, differently
    zhang.replace("3天", "5天", where="会议材料至少提前3天送达")  # only his
    zhang.replace("个别", "有的", where="个别“三重一大”")  # the same as 李副书记
    li = WordEdit(docx, "李副书记")
    li.replace("还有", "仍有", where="还有差距")
    li.replace("个别", "有的", where="个别“三重一大”")
    li.insert("跟踪督促不够", "有力", where="巩固党纪学习教育")  # only hers
    copies = [zhang.save(tmp_path / "张.docx"), li.save(tmp_path / "李.docx")]
    before = sources(material)

    code, _, err = revisions(capsys, *copies, material, "--apply")
    assert code == 1  # a conflict is left to the writer
    conflict = next(x for x in err.splitlines() if "不同的修改" in x)
    assert "张书记" in conflict and "“还有”改为“存在”" in conflict
    assert "李副书记" in conflict and "“还有”改为“仍有”" in conflict
    assert "张书记、李副书记（" in err  # the shared edit, once, with both names
    after = sources(material)
    assert LEAD_LINE in after[PROBLEMS]  # the conflicting words are not applied
    assert "个别“三重一大”" not in after[PROBLEMS] and "有的“三重一大”" in after[PROBLEMS]
    assert "跟踪督促不够有力" in after[PROBLEMS]
    assert after[LEDGER] == before[LEDGER].replace("提前3天", "提前5天")


def test_an_edit_to_text_changed_since_export_is_a_conflict(material, tmp_path, capsys):
    copy = returned(material, tmp_path, "张书记", lambda e: (e.replace("跟踪督促不够", "跟踪督促不力", where="巩固党纪学习教育"),
                                                          e.replace("会前1天", "会前半天", where="会前1天")))
    # Meanwhile the writer rewrote one of those paragraphs and added one above both.
    path = material / PROBLEMS
    text = path.read_text(encoding="utf-8")
    text = text.replace("对基层党组织落实情况跟踪督促不够。", "对基层党组织落实情况督促检查不够。")
    text = text.replace("## 带头严守政治纪律和政治规矩\n", "## 带头严守政治纪律和政治规矩\n\n会前班子成员逐一谈心谈话。\n")
    path.write_text(text, encoding="utf-8")

    code, diff, err = revisions(capsys, copy, material, "--apply")
    assert code == 1
    conflict = next(x for x in err.splitlines() if "已经修改" in x)
    assert "第 11 行" in conflict and "张书记删除“跟踪督促不够”" in conflict
    after = path.read_text(encoding="utf-8")
    assert "督促检查不够" in after and "跟踪督促不力" not in after  # not applied
    assert "会议材料会前半天才送达" in after  # the unchanged paragraph (moved two lines) takes its edit
    assert changed_lines(diff) == [x for x in changed_lines(diff) if "会前" in x]


def test_numbers_and_the_signature_are_never_source_edits(material, tmp_path, capsys):
    copy = returned(material, tmp_path, "张书记", lambda e: (
        e.replace("一是", "", where="一是学习贯彻"),  # the computed number
        e.replace("2025年1月8日", "2025年1月10日")))  # 落款 (from the front matter)
    before = sources(material)

    code, diff, err = revisions(capsys, copy, material, "--apply")
    assert code == 0 and diff == ""
    assert sources(material) == before
    assert "对系统生成的文字（编号、落款）的修改" in err
    assert "张书记删除“一是”" in err and "张书记插入“2025年1月10日”" in err


def test_inserted_text_is_escaped_and_a_classified_mark_stops_the_apply(material, tmp_path, capsys):
    from gongwen.read import load

    docx = export(material)
    edit = WordEdit(docx, "张书记")
    edit.insert("紧密", "，*重点*<script>alert(1)</script>", where="还有差距")
    copy = edit.save(tmp_path / "r.docx")
    code, _, _ = revisions(capsys, copy, material, "--apply")
    assert code == 0
    assert "紧密，\\*重点\\*&lt;script>alert(1)&lt;/script>。" in sources(material)[PROBLEMS]
    point = next(load(material).points())
    assert "紧密，*重点*" in point.body  # a reader sees the characters typed, not emphasis

    before = sources(material)
    secret = WordEdit(docx, "张书记")
    secret.insert_paragraph_after("根据县委关于召开", [("秘密★1年", None)])
    code, _, err = revisions(capsys, secret.save(tmp_path / "s.docx"), material, "--apply")
    assert code == 2 and "security.classified" in err and "没有写入任何文件" in err
    assert sources(material) == before


def test_bad_input_is_a_message_not_a_traceback(material, tmp_path, capsys):
    bogus = tmp_path / "坏.docx"
    bogus.write_bytes(b"not a zip")
    code, _, err = revisions(capsys, bogus, material)
    assert code == 2 and "坏.docx:1:1: 错误" in err and "Traceback" not in err
    # A Word file gongwen did not export has no anchors to map.
    from docx import Document

    plain = tmp_path / "别处.docx"
    Document().save(str(plain))
    code, _, err = revisions(capsys, plain, material)
    assert code == 2 and "不是由 gongwen 导出的" in err
    code, _, err = revisions(capsys, plain)
    assert code == 2
    # A copy exported from another material.
    other = tmp_path / "别的材料.docx"
    assert main(["export", str(Path(__file__).resolve().parent.parent / "docs" / "2023-zhuti-jiaoyu-banzi"),
                 "--to", "docx", "-o", str(other)]) == 0
    code, _, err = revisions(capsys, other, material)
    assert code == 2 and "不是从 青禾镇党委 导出的" in err


def test_a_broken_comments_file_is_a_warning_with_its_line(material, capsys):
    (material / "批注.yaml").write_text("- 文件: 01-存在的问题.md\n  行: 9\n- 作者: [未闭合\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["check", str(material)])
    out = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in out.err
    found = [x for x in out.out.splitlines() if "review.comment" in x]
    assert len(found) == 1 and f"{material / '批注.yaml'}:3:1: 警告 review.comment 批注.yaml 无法读取" in found[0]


def test_two_reviewers_adding_points_after_the_same_point_both_go_in(material, tmp_path, capsys):
    copies = [returned(material, tmp_path, author, lambda e, lead=lead: e.insert_paragraph_after(
        "巩固党纪学习教育成果用力不够", [(lead, "要点"), ("如，全年只开展1次专项检查。", None)]))
        for author, lead in (("张书记", "监督检查不够经常。"), ("李副书记", "警示教育不够深入。"))]
    code, diff, _ = revisions(capsys, *copies, material, "--apply")
    assert code == 0
    assert changed_lines(diff) == ["+", "+**监督检查不够经常。**如，全年只开展1次专项检查。",
                                   "+", "+**警示教育不够深入。**如，全年只开展1次专项检查。"]


def test_a_change_in_the_title_broken_over_two_lines(material, tmp_path, capsys):
    # Export breaks the long title between words (GB/T 9704); the source has it on one line.
    copy = returned(material, tmp_path, "张书记", lambda e: e.replace("民主生活会", "专题民主生活会", where="对照检查材料"))
    title = "# 青禾镇党委领导班子2024年度民主生活会对照检查材料"
    code, diff, _ = revisions(capsys, copy, material)
    assert code == 0
    assert changed_lines(diff) == [f"-{title}", f"+{title.replace('度民主', '度专题民主')}"]


@pytest.mark.parametrize("name", ["2023-zhuti-jiaoyu-banzi", "示例-2024-青禾镇党委", FIXTURE.name])
def test_every_anchor_of_an_export_is_found_in_its_source(name):
    # Any paragraph, heading, title or cell a leader may edit can be placed back in the Markdown.
    from gongwen.read import load
    from gongwen.revisions import current_anchors, source_texts
    from gongwen.revisions.mapping import Sources, align

    folder = FIXTURE if name == FIXTURE.name else Path(__file__).resolve().parent.parent / "docs" / name
    mat = load(folder)
    texts, _ = source_texts(mat)
    current, _ = current_anchors(mat)
    sources = Sources(mat.files, texts, current)
    assert len(current) > 10
    lost = [n for n, text in current.items()
            if (p := sources.place(n)) is None or align(texts[p.path], p.offset, text) is None]
    assert lost == []


def test_an_external_entity_in_a_returned_copy_is_not_followed(material, tmp_path, capsys):
    import zipfile

    secret = tmp_path / "secret.txt"
    secret.write_text("不应读到的内容", encoding="utf-8")
    src = export(material)
    evil = tmp_path / "带实体.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(evil, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                head, _, rest = data.decode("utf-8").partition("?>")
                data = (f'{head}?><!DOCTYPE d [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
                        + rest.replace("还有差距", "还有差距&x;", 1)).encode("utf-8")
            zout.writestr(item, data)
    code, diff, err = revisions(capsys, evil, material)
    assert "不应读到的内容" not in diff + err and "Traceback" not in err
    assert code == 2 and "带实体.docx" in err


def test_a_deleted_heading_removes_its_line(material, tmp_path, capsys):
    copy = returned(material, tmp_path, "张书记", lambda e: e.delete_paragraph("带头增强党性、严守纪律、砥砺作风"))
    code, diff, _ = revisions(capsys, copy, material)
    assert code == 0
    assert changed_lines(diff) == ["-## 带头增强党性、严守纪律、砥砺作风", "-"]


def test_a_new_point_typed_where_word_carried_the_bookmark_end(material, tmp_path, capsys):
    # Pressing Enter at the end of a paragraph, Word may leave the bookmark's end after the
    # new paragraph: what was typed there is still a paragraph of its own.
    from docx.oxml.ns import qn

    def typed(e):
        e.insert_paragraph_after("巩固党纪学习教育成果用力不够", [("对村级小微权力监督不够有力。", "要点")])
        old = e.paragraph("巩固党纪学习教育成果用力不够")
        end = old.findall(qn("w:bookmarkEnd"))[-1]
        e.paragraph("对村级小微权力监督不够有力").append(end)

    code, diff, _ = revisions(capsys, returned(material, tmp_path, "张书记", typed), material)
    assert code == 0
    assert changed_lines(diff) == ["+", "+**对村级小微权力监督不够有力。**"]


def test_a_failed_write_leaves_every_file_as_it_was(material, tmp_path, capsys):
    copy = returned(material, tmp_path, "张书记", lambda e: (e.replace("还有", "存在", where="还有差距"),
                                                          e.comment("带头增强党性", "请补充事例")))
    (material / PROBLEMS).write_bytes((material / PROBLEMS).read_bytes().replace(b"\n", b"\r\n"))  # Windows line ends
    before = {p.name: p.read_bytes() for p in material.iterdir() if p.is_file()}
    (material / "批注.yaml").mkdir()  # the sidecar cannot be written: the source edit must not stay
    code, _, err = revisions(capsys, copy, material, "--apply")
    assert code == 2 and "写入失败" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in material.iterdir() if p.is_file()} == before
    (material / "批注.yaml").rmdir()
    assert revisions(capsys, copy, material, "--apply")[0] == 0
    assert b"\r\n" in (material / PROBLEMS).read_bytes() and b"\r\r" not in (material / PROBLEMS).read_bytes()
    assert "存在差距" in (material / PROBLEMS).read_text(encoding="utf-8")


def _edited(anchor, start: int, end: int, text: str, author: str = "张书记"):
    """The anchor's pieces with original[start:end] deleted and `text` inserted there, as Word
    records a replacement typed over a selection (the insertion takes the selection's style)."""
    from gongwen.revisions.ooxml import Anchor, Piece

    out, o = [], 0
    lead_at = None
    for p in anchor.pieces:
        cuts = sorted({0, len(p.text), *(x - o for x in (start, end) if o < x < o + len(p.text))})
        for a, b in itertools.pairwise(cuts):
            part = p.text[a:b]
            inside = start <= o + a < end
            if o + a == start or (lead_at is None and inside):
                lead_at = p.lead
            out.append(Piece(part, "del" if inside else "", author if inside else "", "", p.lead))
        o += len(p.text)
    if lead_at is None:  # an insertion at the very end
        lead_at = anchor.pieces[-1].lead if anchor.pieces else False
    at = next((i for i, q in enumerate(out) if q.change == "" and sum(len(x.text) for x in out[:i]) >= end), len(out))
    out.insert(at, Piece(text, "ins", author, "2025-01-10T09:30:00Z", lead_at))
    return Anchor(anchor.name, out)


@pytest.mark.parametrize("seed", range(5))
def test_any_replacement_in_any_block_reads_back_as_typed(tmp_path, seed):
    # Property: whatever a reviewer types over whatever selection of a paragraph, heading, title,
    # point or cell, the Markdown written back reads (and exports) as that text.
    import random
    from io import BytesIO

    from gongwen.check.run import resolve_schema
    from gongwen.export.docx import build_document
    from gongwen.read import load
    from gongwen.revisions import Revisions, current_anchors, source_texts
    from gongwen.revisions.mapping import Sources, map_copy
    from gongwen.revisions.ooxml import Copy, read_copy

    rng = random.Random(seed)
    folder = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    for _ in range(40):
        mat = load(folder)
        texts, raw = source_texts(mat)
        current, points = current_anchors(mat)
        name = rng.choice(sorted(current))
        original = current[name]
        buf = BytesIO()  # the copy: today's export, read back
        build_document(mat, resolve_schema(mat)[0]).save(buf)
        buf.seek(0)
        anchor = read_copy(buf).anchors[name]
        i = rng.randrange(len(original) + 1)
        j = min(len(original), i + rng.randrange(0, 6))
        typed = "".join(rng.choice("甲乙丙丁戊己庚辛*_<|&") for _ in range(rng.randrange(0, 5)))
        revised = original[:i] + typed + original[j:]
        if not revised.strip() or revised == original or typed.strip() != typed:
            continue
        edits, conflicts = map_copy(Copy("r.docx", {name: _edited(anchor, i, j, typed)}), Sources(mat.files, texts, current),
                                    points)
        assert not conflicts, (name, original, i, j, typed, conflicts)
        rev = Revisions(mat, folder, texts, raw, edits)
        for path, text in rev.new_texts().items():
            Path(path).write_text(text, encoding="utf-8")
        after, _ = current_anchors(load(folder))
        # (The title's line break moves with its length: compared without it.)
        assert (after.get(name) or "").replace("\n", "") == revised.replace("\n", ""), (name, original, i, j, typed)


def test_text_typed_at_the_start_of_a_line_never_becomes_a_heading_or_list(material, tmp_path, capsys):
    from gongwen.read import load

    copy = returned(material, tmp_path, "张书记", lambda e: (
        e.insert_paragraph_after("根据县委关于召开", [("# 另起一行的话", None)]),
        e.replace("根据", "- 根据", where="根据县委关于召开")))
    code, _, _ = revisions(capsys, copy, material, "--apply")
    assert code == 0
    mat = load(material)
    assert [p.text for p in mat.lead] == [
        "- 根据县委关于召开2024年度民主生活会的通知要求，镇党委班子会前广泛征求意见，现将对照检查情况报告如下：",
        "# 另起一行的话"]
    assert [s.title for s in mat.sections] == ["存在的问题", "整改清单"]
