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


SOURCE_POINTS = [seed_point("二是开拓创新不够"), seed_point("二是制度执行不严格")]
# The same two points said another way: synonyms of the variant table (不够 -> 有待加强, 满足于 ->
# 止步于, 落实 -> 落地, 思考 -> 研究), clauses reordered, no run of 13 characters left in common.
REWORDED = [
    ("二是开拓创新有待加强。主动谋划、主动思考、主动跟进面对新形势新任务新要求还有差距，创新办法还不多，"
     "缺少有效创新和深入研究，变中求进、变中求新、变中突破的要求还没有落地到位。"),
    ("二是制度执行有待加强。工作上习惯于凭经验做事，有时止步于按部就班、墨守成规，过于强调规矩与程序，"
     "没有从更好的成效、更高的标准去研究去思考工作中深层次的问题。"),
]


def test_a_reworded_point_is_reported_as_paraphrase_apart_from_exact_copies(tmp_path, capsys):
    from gongwen.check import check
    from gongwen.similar import load_config

    from .conftest import of_rule

    template = material(tmp_path / "模板.txt", "网上模板", SOURCE_POINTS)
    copy = material(tmp_path / "某局.txt", "某局党组对照检查材料", [OWN] + REWORDED)
    matches = compare([load(copy)], [load(template)])
    assert [(m.level, m.a.line, m.b.line) for m in matches] == [("paraphrase", 9, 7), ("paraphrase", 11, 9)]
    m = matches[0]
    assert m.share > 0.8 and m.aligned[0][0].startswith("主动谋划") and m.aligned[0][1].startswith("面对新形势")
    # Kept apart: no exact copy, so the 雷同比例 of the material is 0.
    assert copied_share_by_material(matches) == {}
    # Without the variant table's level the exact stage alone finds nothing here.
    assert compare([load(copy)], [load(template)], config=load_config(overrides={"paraphrase": False})) == []
    mat = load(copy)
    for stage, severity in (("草稿", "info"), ("定稿", "warning")):
        found = of_rule(check(mat, stage=stage, copies=matches), "content.copied.paraphrase")
        assert [(d.line, d.severity) for d in found] == [(9, severity), (11, severity)]
        assert "洗稿" in found[0].message and "网上模板" in found[0].message
    assert main(["similar", str(copy), "--against", str(template)]) == 1
    out = capsys.readouterr()
    assert "疑似洗稿" in out.out and "对方：面对新形势" in out.out and "雷同 0 处，疑似洗稿 2 处" in out.err


def test_an_office_extends_the_variant_table(tmp_path):
    from gongwen.similar import load_config

    src = "一是调查研究不够深入。下基层多是听汇报、看材料，蹲点解剖麻雀少，掌握第一手情况不多。"
    reworded = "一是调查研究不够深入。下乡镇多是听介绍、翻台账，蹲守解剖麻雀少，掌握第一手情况不多。"
    template = material(tmp_path / "模板.txt", "网上模板", [src])
    copy = material(tmp_path / "某局.txt", "某局党组对照检查材料", [OWN, reworded])
    assert not [m for m in compare([load(copy)], [load(template)]) if m.a.line == 9]
    table = tmp_path / "本单位同义词.txt"
    table.write_text("# 本单位补充\n基层 乡镇\n汇报 介绍\n材料 台账\n蹲点 蹲守\n听 翻 看\n", encoding="utf-8")
    cfg = load_config(overrides={"synonyms": str(table)})
    [m] = [m for m in compare([load(copy)], [load(template)], config=cfg) if m.a.line == 9]
    assert m.level == "paraphrase"


def front(previous: str | None, unit: str, year: int) -> str:
    extra = f"previous: {previous}\n" if previous else ""
    return f"---\ntype: 2023-zhuti-jiaoyu-banzi\nyear: {year}\nunit: {unit}\n密级: 内部\n状态: 定稿\n{extra}---\n\n"


def year_pair(docs: Path) -> tuple[Path, Path]:
    """某镇's 2024 material and its 2025 one, whose problems repeat last year's but for one."""
    from .conftest import CLEAN, write_material

    index = CLEAN["index.md"]
    last = write_material(docs, {"index.md": front(None, "某镇党委领导班子", 2024) + index.replace("2023", "2024")}, name="2024-某镇", front=False)
    problems = CLEAN["01-存在的问题.md"].replace(
        "**调查研究不够深入。**下基层有时走马观花。如，班子成员全年到村调研38次，其中一半以上只听汇报、不进农户。",
        "**网格治理不够精细。**对新建小区的网格划分滞后。如，3个新小区入住半年后才配齐网格员。")
    this = write_material(docs, {"index.md": front("../2024-某镇", "某镇党委领导班子", 2025) + index.replace("2023", "2025"),
                                 "01-存在的问题.md": problems, "02-原因剖析.md": "# 原因剖析\n\n## 思想认识\n\n本年新写的原因。\n",
                                 "03-整改措施.md": "# 整改措施\n\n## 抓好落实\n\n本年新写的措施，2025年底前完成。\n"},
                          name="2025-某镇", front=False)
    return last, this


def test_problems_repeated_from_last_years_material_are_their_own_finding(tmp_path):
    from gongwen.similar import repeated_by_material

    last, this = year_pair(tmp_path)
    matches = compare([load(this)])  # last year's is read from front matter previous:
    repeated = [m for m in matches if m.repeated]
    assert repeated and all(m.b.previous and Path(m.b.material).resolve() == last.resolve() for m in repeated)
    assert {m.a.kind for m in repeated} >= {"point"}
    assert copied_share_by_material(matches) == {}  # a repeat is not a copy from another unit
    [(n, source)] = repeated_by_material(matches).values()
    assert n == 6 and Path(source).resolve() == last.resolve()  # 7 points, one written anew
    # Both in one comparison (a site holding both years): the same, and last year's material is
    # not reported as copying this year's.
    both = compare([load(last), load(this)])
    assert not [m for m in both if Path(m.a.material).resolve() == last.resolve()]
    assert repeated_by_material(both)[str(this)][0] == 6


def test_last_years_material_is_not_read_when_classified_nor_when_front_matter_is_untrusted(tmp_path):
    last, this = year_pair(tmp_path)
    index = last / "index.md"
    # Last year's material turns out to be classified: it is never compared, nor quoted.
    index.write_text(index.read_text(encoding="utf-8").replace("密级: 内部", "密级: 秘密"), encoding="utf-8")
    assert not [m for m in compare([load(this)]) if m.repeated]
    index.write_text(index.read_text(encoding="utf-8").replace("密级: 秘密", "密级: 内部"), encoding="utf-8")
    assert [m for m in compare([load(this)]) if m.repeated]
    # What units send is untrusted (gongwen review): front matter previous: is not followed.
    assert not [m for m in compare([load(this)], follow_previous=False) if m.repeated]
