"""Copy detection on copies as writers make them from 文库 templates: the subject vocabulary
swapped, trimmed, two points merged into one, one point split into two, a point stitched from
two templates. Built from the repository's own seed material (tests/fixtures/seed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from gongwen.cli import main
from gongwen.read import load
from gongwen.similar import compare, copied_share_by_material

SEED = (Path(__file__).parent / "fixtures" / "seed" / "2023-zhuti-jiaoyu-banzi.txt").read_text(encoding="utf-8")
SEED = SEED.replace("##paidbegin##", "").replace("##paidend##", "")  # a web page's marks, left in the fixture


def seed_point(start: str) -> str:
    """The seed's problem point beginning with `start`, up to the next point."""
    return re.search(re.escape(start) + r"[^一二三（\n]*", SEED).group()


def swapped(text: str, words: dict[str, str]) -> str:
    for old, new in words.items():
        text = text.replace(old, new)
    return text


def last_sentence_cut(text: str) -> str:
    return text[:text.rindex("。", 0, len(text) - 1) + 1]


def material(path: Path, title: str, points: list[str], lead: str = "认真准备了本次会议。") -> Path:
    path.write_text("\n".join([title, "", lead, "", "一、存在的问题", ""] + [p + "\n" for p in points]), encoding="utf-8")
    return path


OWN = "一是服务企业不够主动。对园区企业用工、融资的难处了解不及时。如，3家企业反映的用电增容问题拖了两个月才协调。"
OWN_EXAMPLE = "如，3家企业反映的用电增容问题拖了两个月才协调，2个项目的用地手续至今没有办结。"
# The case: 宣传思想 -> 统一战线 style swaps of a whole subject field, the last sentence cut.
IDEOLOGY = seed_point("一是意识形态责任制落实不到位")
IDEOLOGY_COPY = last_sentence_cut(swapped(IDEOLOGY, {"意识形态": "统一战线", "分析研判": "调查研究", "制度建设": "联谊活动",
                                                   "系统性": "整体性"}))
STUDY = seed_point("一是理论学习不深不透")
STUDY_COPY = last_sentence_cut(swapped(STUDY, {"理论学习": "业务学习", "战略": "发展", "系统学习": "专题学习",
                                               "重大决策部署": "重要工作安排"}))


def test_both_points_copied_with_the_subject_vocabulary_swapped_are_found(tmp_path, capsys):
    """The missed case's shape: two points from a web template, each with its subject words
    swapped and its last sentence cut, so each source point is longer by a sentence."""
    assert len(STUDY) - len(STUDY_COPY) > 60 and "统一战线" in IDEOLOGY_COPY and "意识形态" not in IDEOLOGY_COPY
    templates = tmp_path / "TEMPLATES"
    templates.mkdir()
    material(templates / "文库范文.txt", "2023年主题教育专题民主生活会领导班子对照检查材料", [STUDY, IDEOLOGY])
    copy = material(tmp_path / "COPY.txt", "某局党组2025年度民主生活会个人对照检查材料", [OWN, STUDY_COPY, IDEOLOGY_COPY])
    assert main(["similar", str(copy), "--against", str(templates), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    found = {m["a"]["line"]: m for m in data["matches"]}
    assert sorted(found) == [9, 11]  # both copied points, not the unit's own one (line 7)
    for m in found.values():
        assert m["b"]["path"].endswith("文库范文.txt") and m["share"] >= 0.5
        assert all(len(re.sub(r"\W", "", p)) >= 13 for p in m["passages"])
    # The runs are those a reader sees: whole clauses between the swapped words.
    assert any("态度上是端正的、行动上是自觉的" in p for p in found[9]["passages"])
    assert any("的长期性、严峻性、复杂性认识不足" in p for p in found[11]["passages"])


def test_a_trimmed_copy_of_a_long_template_paragraph_is_found_from_the_copiers_side(tmp_path):
    """One sentence lifted from a template that runs its whole 原因剖析 as one paragraph: the
    copy is a small part of the source, but nearly all of the copy."""
    block = re.search(r"二、原因剖析\n(.*?)\n三、", SEED, re.DOTALL).group(1).replace("\n", "")
    assert len(block) > 900
    sentence = re.search(r"有时只满足于完成学习时间[^。]*。", block).group()
    template = material(tmp_path / "模板.txt", "网上模板", [], lead=block)
    own_lead = "局党组认真准备了本次会议。" + sentence.replace("班子成员", "党组成员")
    copy = material(tmp_path / "某局.txt", "某局党组对照检查材料", [OWN], lead=own_lead)
    matches = [m for m in compare([load(copy)], [load(template)]) if m.a.path == str(copy)]
    [m] = matches
    assert m.a.kind == "paragraph" and m.share >= 0.5 and m.b_share < 0.1


def test_two_template_points_merged_into_one_are_found_with_both_sources(tmp_path):
    """Half of one point and half of another, written as one point: neither source alone
    covers half of it, both together do."""
    first, second = seed_point("二是制度执行不严格"), seed_point("二是抓班子带队伍的能力不强")
    merged = first[:first.index("如，")] + second[second.index("。") + 1:second.index("如，")] + OWN_EXAMPLE
    template = material(tmp_path / "模板.txt", "网上模板", [first, second])
    copy = material(tmp_path / "某镇.txt", "某镇党委班子对照检查材料", [OWN, merged])
    reports = [m for m in compare([load(copy)], [load(template)]) if m.a.line == 9]
    assert {m.b.line for m in reports} == {7, 9}  # which source point covers what
    assert all(m.share < 0.5 for m in reports) and reports[0].combined >= 0.7
    assert copied_share_by_material(reports)[str(copy)][0] > 0.4


def test_a_point_stitched_from_two_templates_names_each_source(tmp_path):
    a, b = seed_point("二是开拓创新不够"), seed_point("一是“人民至上”理念树得不够牢")
    stitched = a[:a.index("特别是")] + b[b.index("。") + 1:b.index("如，")] + OWN_EXAMPLE
    one = material(tmp_path / "模板一.txt", "网上模板一", [a])
    two = material(tmp_path / "模板二.txt", "网上模板二", [b])
    copy = material(tmp_path / "某街道.txt", "某街道党工委对照检查材料", [stitched, OWN])
    reports = [m for m in compare([load(copy)], [load(one), load(two)]) if m.a.line == 7]
    assert sorted(Path(m.b.path).name for m in reports) == ["模板一.txt", "模板二.txt"]
    assert all(m.share < 0.5 for m in reports) and min(m.combined for m in reports) >= 0.7
    covered = {Path(m.b.path).name: "".join(m.passages) for m in reports}
    assert "创新措施还不够多" in covered["模板一.txt"] and "群众观念淡薄" in covered["模板二.txt"]


def test_one_point_split_into_two_finds_both_halves(tmp_path):
    src = seed_point("二是抓班子带队伍的能力不强")
    cut = src.index("如，")
    template = material(tmp_path / "模板.txt", "网上模板", [src])
    copy = material(tmp_path / "某村.txt", "某村党支部对照检查材料", [src[:cut], "二是" + src[cut:], OWN])
    lines = sorted(m.a.line for m in compare([load(copy)], [load(template)]) if m.a.path == str(copy))
    assert lines == [7, 9]
