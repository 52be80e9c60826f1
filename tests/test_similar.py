"""Copy detection (gongwen.similar, gongwen similar, content.copied): what a reviewer sees."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gongwen.check.run import check
from gongwen.cli import main
from gongwen.read import load
from gongwen.similar import (
    SimilarConfig,
    compare,
    copied_share_by_material,
    family_of_material,
    load_config,
    units_of,
)
from tests.conftest import make_docx, of_rule

NOTICE = ("按照会议通知要求，深入学习贯彻习近平新时代中国特色社会主义思想，深刻领悟“两个确立”的决定性意义，"
          "增强“四个意识”、坚定“四个自信”、做到“两个维护”。会前，班子成员之间、班子成员与分管部门负责人之间"
          "开展了谈心谈话，广泛征求意见建议。现将对照检查情况报告如下。")

TEMPLATE_POINT = ("一是理论学习不够深入系统。党组中心组学习有时流于形式，满足于读文件、记笔记，结合本局实际"
                  "研讨不够，学用脱节的问题还不同程度存在。如，2023年全年中心组学习12次，专题研讨仅3次，"
                  "多数党组成员发言照稿念，没有形成指导工作的具体举措。")
# The same point with nouns swapped (党组 -> 班子, 本局 -> 本镇) and every number changed.
EDITED_POINT = ("一是理论学习不够深入系统。班子中心组学习有时流于形式，满足于读文件、记笔记，结合本镇实际"
                "研讨不够，学用脱节的问题还不同程度存在。如，2024年全年中心组学习15次，专题研讨仅5次，"
                "多数班子成员发言照稿念，没有形成指导工作的具体举措。")
OWN_POINTS = [
    "一是调查研究浮于表面。下基层多是听汇报、看材料，蹲点解剖麻雀少。如，全年到村调研20次，形成调研报告只有2篇。",
    "一是服务企业不够主动。对园区企业用工、融资的难处了解不及时。如，3家企业反映的用电增容问题拖了两个月才协调。",
    "一是财务制度执行不严。公务接待审批有时事后补签。如，第二季度有4次接待清单与公函不符，没有及时纠正。",
]


def material(path: Path, title: str, lead: str, points: list[str]) -> Path:
    text = [title, "", lead, "", "一、存在的问题", ""] + [p + "\n" for p in points]
    path.write_text("\n".join(text), encoding="utf-8")
    return path


def test_copied_point_with_swapped_nouns_and_changed_numbers_is_found_with_source_and_share(tmp_path):
    src = material(tmp_path / "某局.txt", "某局党组对照检查材料", "局党组认真准备了本次会议。", [TEMPLATE_POINT, OWN_POINTS[0]])
    copy = material(tmp_path / "某镇.txt", "某镇党委班子对照检查材料", "镇党委认真准备了本次会议。", [OWN_POINTS[1], EDITED_POINT])
    matches = compare([load(src), load(copy)])
    from_copy = [m for m in matches if m.a.path == str(copy)]
    assert len(from_copy) == 1
    m = from_copy[0]
    assert (m.a.line, m.b.path, m.b.line) == (9, str(src), 7)  # both sides: file and line
    assert m.b.title == "某局党组对照检查材料"
    assert 0.7 < m.share < 1.0  # most of it, but not the swapped nouns
    joined = "".join(m.passages)
    assert "学用脱节的问题还不同程度存在" in joined
    assert "2024年全年中心组学习15次" in joined  # quoted as written, numbers and all
    assert all(len(p) >= 13 for p in m.passages)
    assert "本镇" not in joined and "本局" not in joined
    # The unit's own text is highlighted by spans into it.
    assert [m.a.text[s:e] for s, e in m.a.spans] == list(m.passages)
    # The other side names the source point and its own share.
    assert any(x.a.path == str(src) and x.b.path == str(copy) for x in matches)
    share, source = copied_share_by_material(matches)[str(copy)]
    assert source == str(src) and 0.2 < share < 0.6  # one of the material's two points


def test_a_lead_that_repeats_the_notice_is_not_reported(tmp_path):
    a = material(tmp_path / "a.txt", "甲镇党委班子对照检查材料", NOTICE, [OWN_POINTS[0]])
    b = material(tmp_path / "b.txt", "乙局党组对照检查材料", NOTICE, [OWN_POINTS[1]])
    assert compare([load(a), load(b)]) == []
    # Without the formula list the same 导语 is a copy: the discount is what keeps it quiet.
    no_list = SimilarConfig(stock_phrases=False)
    assert any(m.a.kind == "paragraph" for m in compare([load(a), load(b)], config=no_list))


def test_a_passage_in_many_materials_is_a_family_not_a_stock_phrase(tmp_path):
    common = "坚持把抓好党建作为最大的政绩，统筹推进各项工作任务落地落实，取得了阶段性成效。"
    mats = [load(material(tmp_path / f"m{i}.txt", f"第{i}单位对照检查材料", common, [OWN_POINTS[i % 3]]))
            for i in range(6)]
    # 6 materials of 6 share it: the strongest finding, one family of 6 (no document-frequency discount).
    leads = [m for m in compare(mats) if m.a.kind == "paragraph"]
    assert {m.a.material for m in leads} == {str(m.path) for m in mats}
    assert {m.family for m in leads} == {6}
    families = family_of_material(compare(mats))
    assert all(families[str(m.path)] == (6, {str(x.path) for x in mats} - {str(m.path)}) for m in mats)
    # A stock text the reviewer names (the notice) is what makes a shared passage stock.
    notice = load(material(tmp_path / "通知.txt", "会议通知", common, []))
    assert not [m for m in compare(mats, stock=[notice]) if m.a.kind == "paragraph"]


def test_a_point_shorter_than_the_minimum_run_is_not_reported(tmp_path):
    short = "一是学习不够深入。"  # 8 characters after normalising, identical in both
    a = material(tmp_path / "a.txt", "甲镇党委班子对照检查材料", "甲镇党委认真准备。", [short, OWN_POINTS[0]])
    b = material(tmp_path / "b.txt", "乙局党组对照检查材料", "乙局党组认真准备。", [short, OWN_POINTS[1]])
    assert compare([load(a), load(b)]) == []
    # Raising the bar: the edited copy (longest run 33 characters) falls under min_run = 40.
    x = material(tmp_path / "x.txt", "某局党组对照检查材料", "局党组认真准备。", [TEMPLATE_POINT])
    y = material(tmp_path / "y.txt", "某镇党委班子对照检查材料", "镇党委认真准备。", [EDITED_POINT])
    assert compare([load(x), load(y)])
    strict = compare([load(x), load(y)], config=load_config(overrides={"min_run": 40}))
    assert [m.level for m in strict] == ["paraphrase", "paraphrase"]  # no exact copy; 洗稿 is its own level


def test_units_are_points_with_examples_and_other_paragraphs(tmp_path):
    m = load(material(tmp_path / "a.txt", "甲镇党委班子对照检查材料", NOTICE, [OWN_POINTS[0], OWN_POINTS[1]]))
    units = units_of(m)
    assert [u.kind for u in units] == ["paragraph", "point", "point"]
    assert "如，全年到村调研20次" in units[1].text  # the example travels with its point
    assert not units[1].text.startswith("一是")  # the typed number is not compared


def test_cli_against_a_docx_reference(tmp_path, capsys):
    ref = make_docx(["某局党组对照检查材料", "一、存在的问题", TEMPLATE_POINT], tmp_path / "模板.docx")
    mat = material(tmp_path / "某镇.txt", "某镇党委班子对照检查材料", "镇党委认真准备了本次会议。", [EDITED_POINT])
    assert main(["similar", str(mat), "--against", str(ref)]) == 1
    out = capsys.readouterr().out
    assert f"{mat}:7: 雷同" in out and "参考文本" in out and f"{ref}:3" in out
    assert main(["similar", str(mat), "--against", str(ref), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    [m] = data["matches"]
    assert m["a"]["path"] == str(mat) and m["b"]["path"] == str(ref) and m["b"]["reference"] is True
    assert data["materials"][str(mat)]["source"].endswith("模板.docx")
    # A folder of references works too, and a clean comparison exits 0.
    folder = tmp_path / "refs"
    folder.mkdir()
    shutil.copy(ref, folder / "模板.docx")
    assert main(["similar", str(mat), "--against", str(folder)]) == 1
    capsys.readouterr()
    other = material(tmp_path / "other.txt", "某村对照检查材料", "村党支部认真准备。", [OWN_POINTS[2]])
    assert main(["similar", str(other), "--against", str(folder)]) == 0


def test_cli_unreadable_input_and_bad_arguments_exit_2_without_traceback(tmp_path, capsys):
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    good = material(tmp_path / "a.txt", "甲镇党委班子对照检查材料", "认真准备。", [OWN_POINTS[0]])
    assert main(["similar", str(good), "--against", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "坏.docx" in err and "Traceback" not in err
    assert main(["similar", str(good), "--min-share", "7"]) == 2
    assert "超出范围" in capsys.readouterr().err


@pytest.mark.parametrize("stage,severity", [("草稿", "info"), ("征求意见稿", "warning"), ("定稿", "warning")])
def test_rule_content_copied_reads_the_reports_it_is_given(tmp_path, stage, severity):
    src = material(tmp_path / "某局.txt", "某局党组对照检查材料", "局党组认真准备了本次会议。", [TEMPLATE_POINT])
    copy = material(tmp_path / "某镇.txt", "某镇党委班子对照检查材料", "镇党委认真准备了本次会议。", [EDITED_POINT])
    mat = load(copy)
    matches = compare([load(src), mat])
    mine = [m for m in matches if m.a.material == str(copy)]
    [d] = of_rule(check(mat, stage=stage, copies=mine), "content.copied")
    assert (d.path, d.line, d.severity) == (str(copy), 7, severity)
    assert "某局党组对照检查材料" in d.message and f"{src}:7" in d.message and "%" in d.message
    # Without reports (a single material checked alone) the rule says nothing.
    assert not of_rule(check(mat, stage=stage), "content.copied")


def test_incremental_update_matches_a_fresh_comparison(tmp_path):
    from gongwen.similar import Engine

    paths = [material(tmp_path / f"m{i}.txt", f"第{i}单位对照检查材料", f"第{i}单位认真准备。", [OWN_POINTS[i]])
             for i in range(3)]
    engine = Engine()
    engine.update({str(p): units_of(load(p)) for p in paths})
    assert engine.matches() == []
    # One material is edited to carry the template: only it is prepared and queried again.
    material(paths[1], "第1单位对照检查材料", "第1单位认真准备。", [EDITED_POINT])
    ref = material(tmp_path / "tpl.txt", "模板", "模板。", [TEMPLATE_POINT])
    before = engine.stats["queried"]
    changed = engine.update({str(p): units_of(load(p)) for p in paths}, {"ref": units_of(load(ref))})
    assert changed == {str(paths[1]), "ref"}
    assert engine.stats["queried"] - before == 2  # the edited point and the reference point (short leads are not indexed)
    fresh = compare([load(p) for p in paths], [load(ref)])
    assert [(m.a.path, m.a.line, m.b.path, m.share) for m in engine.matches()] == \
        [(m.a.path, m.a.line, m.b.path, m.share) for m in fresh]
    assert len(fresh) == 1 and fresh[0].a.path == str(paths[1])


def test_a_classified_input_is_refused_and_never_quoted(tmp_path, capsys):
    mat = material(tmp_path / "某镇.txt", "某镇党委班子对照检查材料", "镇党委认真准备了本次会议。", [EDITED_POINT])
    secret = tmp_path / "来文.txt"
    secret.write_text("机密★1年\n" + (tmp_path / "某镇.txt").read_text(encoding="utf-8").replace("某镇", "某县"), encoding="utf-8")
    assert main(["similar", str(mat), str(secret), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert f"{secret}:1:1: 错误 security.classified" in captured.err
    assert json.loads(captured.out)["matches"] == [] and "某县" not in captured.out


def test_a_paragraph_many_materials_share_names_at_most_max_sources_covering_what_it_copies(tmp_path):
    """16 materials share one paragraph; one holds a point stitched from two template halves
    that the others hold apart. A report names at most max_sources sources, and those cover
    what the unit copies: both halves, not the larger half from five sources."""
    common = "坚持把抓好党建作为最大的政绩，统筹推进各项工作任务落地落实，取得了阶段性成效。"
    first = "一是理论学习不够深入系统。党组中心组学习有时流于形式，满足于读文件、记笔记，结合本局实际研讨不够，学用脱节。"
    second = "一是调查研究浮于表面。下基层多是听汇报、看材料，蹲点解剖麻雀少，掌握第一手情况不多。"
    points = [first + second[2:]] + [first if i % 2 else second for i in range(1, 16)]
    mats = [load(material(tmp_path / f"m{i:02}.txt", f"第{i}单位对照检查材料", common, [p])) for i, p in enumerate(points)]
    for limit in (1, 2, 5):
        matches = compare(mats, config=load_config(overrides={"max_sources": limit}))
        by_unit: dict[tuple, list] = {}
        for m in matches:
            by_unit.setdefault((m.a.material, m.a.index), []).append(m)
        leads = [ms for (_, index), ms in by_unit.items() if index == 0]
        assert len(leads) == 16 and all(len(ms) == limit for ms in leads)  # 15 sources each, `limit` named
        assert all(m.family == 16 for ms in leads for m in ms)  # the family is counted whole
        stitched = by_unit[(str(mats[0].path), 1)]
        assert len(stitched) == limit and stitched[0].combined > 0.9
        quoted = "".join(p for m in stitched for p in m.passages)
        assert "结合本局实际研讨不够" in quoted
        assert ("蹲点解剖麻雀少" in quoted) == (limit >= 2)  # the second place goes to the other half
        share, _ = copied_share_by_material(matches)[str(mats[0].path)]
        assert share > 0.9
    with pytest.raises(ValueError, match="max_sources"):
        load_config(overrides={"max_sources": 0})


def test_batched_exact_verification_finds_the_runs_of_the_pair_by_pair_one():
    """A first build verifies its pairs in batches (verify.KeyIds): the same runs and shares as
    `shared`, a pair at a time, stock phrases, repeated windows and pairs sharing nothing included."""
    import random

    import numpy as np

    from gongwen.similar.engine import Engine
    from gongwen.similar.verify import KeyIds, share_of, shared

    rnd = random.Random(7)
    pool = [TEMPLATE_POINT, EDITED_POINT, NOTICE, *OWN_POINTS]
    texts = []
    for _ in range(60):
        parts = rnd.sample(pool, 2)
        cut = [p[rnd.randrange(len(p) // 2):] for p in parts]
        texts.append("".join(cut) + ("深入学习贯彻习近平新时代中国特色社会主义思想" if rnd.random() < 0.3 else "")
                     + cut[0][:20])  # a window repeated inside the unit
    engine = Engine(load_config())
    prepared = engine._prepare(texts)
    k = engine.config.min_run
    counts: dict[int, int] = {}
    for p in prepared:
        for h in p.keys.tolist():
            counts[h] = counts.get(h, 0) + 1
    vocab = np.array(sorted(h for h, n in counts.items() if n > 1), dtype=np.uint64)
    pairs = [(a, b) for i, a in enumerate(prepared) for b in prepared[i + 1:]]
    ranks = KeyIds(prepared, vocab)
    got = []
    for i in range(0, len(pairs), 97):
        got += ranks.shared_many(pairs[i:i + 97], k)
    assert any(g is None for g in got) and any(g is not None for g in got)
    for (a, b), found in zip(pairs, got):
        ra, rb = shared(a, b, k)
        if not ra:
            assert found is None
            continue
        assert np.frombuffer(found[0], dtype=np.int32).reshape(-1, 2).tolist() == [list(s) for s in ra]
        assert np.frombuffer(found[1], dtype=np.int32).reshape(-1, 2).tolist() == [list(s) for s in rb]
        assert (found[2], found[3]) == (share_of(ra, a.size), share_of(rb, b.size))
