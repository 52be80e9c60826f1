"""Every rule id of DESIGN.md §3 (and the reviewers' rules added to it) has at least one
positive and one negative case on realistic text; this table is the catalogue of them.

A case is a material (a Markdown folder: the clean material with some files replaced, or
a .txt) and whether the rule must report something at warning level or above (positive)
or nothing above info (negative: an alias, say, is only noted).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from gongwen.check.rules import RULES
from gongwen.similar import Match, Side

from .conftest import CLEAN, check_path, of_rule, write_material

PROBLEMS = CLEAN["01-存在的问题.md"]
CAUSES = CLEAN["02-原因剖析.md"]
MEASURES = CLEAN["03-整改措施.md"]
INDEX = CLEAN["index.md"]

SEED_LIKE_TXT = """2023年主题教育专题民主生活会领导班子对照检查材料
按照市委关于开展2023年度专题民主生活会的安排部署，现对照检查如下：
一、存在的问题
（一）在理论学习方面。一是理论学习不深不透。如，今年集体学习12次，有4次以传达文件代替研讨。
（二）在政治素质方面。一是政治执行力还不够强。如，全年与基层党员谈心谈话仅3次。
（三）在能力本领方面。一是抓班子带队伍的能力不强。如，对2名作风松散的干部批评教育不够。
（四）在担当作为方面。一是开拓创新不够。如，全年引进产业项目仅1个。
（五）在工作作风方面。一是“人民至上”理念树得不够牢。如，班子成员到村调研38次，一半以上只听汇报。
（六）在廉洁自律方面。一是制度执行不严格。如，我镇健全完善了5项管理制度，执行中层层衰减。
二、原因剖析
（一）政治站位不够高。对“两个确立”的决定性意义感悟不深。
三、整改措施
（一）强化理论武装。坚持每月集中学习一次，做到学用结合。
"""

RECTIFICATION_PLAN = """某镇党委关于2023年主题教育专题民主生活会查摆问题的整改方案
为抓好专题民主生活会查摆问题的整改落实，制定本方案。
一、整改任务
（一）加强理论武装。一是制定班子年度学习计划。每月集中学习一次。责任人：党委书记；完成时限：2024年1月底前。二是开展专题研讨。围绕乡村振兴开展研讨。{second}
二、保障措施
（一）加强组织领导。成立由党委书记任组长的整改工作领导小组。
"""


# A complete 整改清单 for the clean material: every problem point answered (numbers as the site shows them).
LEDGER_HEAD = "# 整改清单\n\n| 问题 | 整改措施 | 责任领导 | 责任人 | 完成时限 | 状态 |\n| --- | --- | --- | --- | --- | --- |\n"
LEDGER_ROWS = [
    "| （一）一是 | 中心组每月专题研讨一次 | 党委书记 | 党政办主任陈某 | 2024年12月31日 | 已完成 |",
    "| 学用结合不够紧密 | 2个调研课题形成具体措施 | 党委副书记 | 组织委员刘某 | 2024年6月底前 | 已整改到位 |",
    "| （二）一是 | 会议材料提前3天送达 | 党委书记 | 党政办主任陈某 | 立行立改 | 已整改销号 |",
    "| （三）一是 | 建立项目包联制度 | 镇长 | 经发办主任吴某 | 2024年底前 | 已完成 |",
    "| （四）一是 | 形成加装电梯协调方案 | 分管副镇长 | 城建办主任郑某 | 2024-04-30 | 已完成 |",
    "| （五）一是 | 调研必须入户，每次留调研记录 | 党委书记 | 班子成员 | 长期坚持 | 长期坚持 |",
    "| 落实“一岗双责”有温差 | 每半年到联系村开展1次廉政谈话 | 纪委书记 | 纪委副书记钱某 | 持续推进 | 推进中 |",
]
LEDGER = LEDGER_HEAD + "\n".join(LEDGER_ROWS) + "\n"


_CITED = LEDGER.replace("| （四）一是 |", "| （四）一是：直面矛盾的担当不够 |").replace(
    "| （五）一是 |", "| （五）一是：调查研究不够深入 |")


def _ledger_with(row: int, new: str | None) -> str:
    rows = list(LEDGER_ROWS)
    if new is None:
        rows.pop(row)
    else:
        rows[row] = new
    return LEDGER_HEAD + "\n".join(rows) + "\n"


_SIDE = dict(kind="point", index=1, text="理论学习不深不透。对党的创新理论满足于读原文、记笔记。")
COPY_REPORT = Match(Side("材料", "某镇党委对照检查材料", "01-存在的问题.md", 5, **_SIDE, spans=((0, 20),)),
                    Side("模板.docx", "某局党组对照检查材料", "模板.docx", 3, **_SIDE, spans=((0, 20),), reference=True),
                    0.9, ("对党的创新理论满足于读原文、记笔记",))


@dataclass
class Case:
    rule: str
    positive: bool
    what: str
    files: dict = field(default_factory=dict)  # Markdown: files replacing those of the clean material
    txt: str | None = None  # or a whole .txt material
    kwargs: dict = field(default_factory=dict)  # check(…) options: stage, for_site, publish
    front: bool = True
    earlier: dict | None = None  # files of an earlier version, checked first (in a project, which remembers)

    def run(self, tmp_path):
        tmp_path.mkdir(parents=True, exist_ok=True)
        if self.earlier is not None:
            (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
            check_path(write_material(tmp_path, self.earlier, front=self.front))
        if self.txt is not None:
            path = tmp_path / "材料.txt"
            path.write_text(self.txt, encoding="utf-8")
        else:
            path = write_material(tmp_path, self.files, front=self.front)
        return check_path(path, **self.kwargs)


CASES = [
    # structure.section
    Case("structure.section", True, "原因剖析缺失", {"02-原因剖析.md": None}),
    Case("structure.section", True, "原因剖析写在整改措施之后",
         {"02-原因剖析.md": None, "04-原因剖析.md": CAUSES}),
    Case("structure.section", False, "完整的材料", {}),
    Case("structure.section", False, "使用别名“原因分析”", {"02-原因剖析.md": CAUSES.replace("# 原因剖析", "# 原因分析")}),
    # structure.aspect
    Case("structure.aspect", True, "政治素养（应为政治素质）", {"01-存在的问题.md": PROBLEMS.replace("政治素质", "政治素养")}),
    Case("structure.aspect", True, "缺少廉洁自律方面",
         {"01-存在的问题.md": PROBLEMS[: PROBLEMS.index("## 在廉洁自律方面")]}),
    Case("structure.aspect", False, "六个方面齐全有序", {}),
    Case("structure.aspect", False, "不带“在……方面”的写法",
         {"01-存在的问题.md": PROBLEMS.replace("## 在理论学习方面", "## 理论学习方面")}),
    Case("structure.aspect", False, "种子材料格式的 .txt", txt=SEED_LIKE_TXT),
    # structure.level
    Case("structure.level", True, "一级标题下直接用三级标题",
         {"02-原因剖析.md": CAUSES.replace("## 理论武装", "### 理论武装")}),
    Case("structure.level", False, "逐级展开", {}),
    # structure.empty
    Case("structure.empty", True, "方面下没有内容",
         {"01-存在的问题.md": PROBLEMS[: PROBLEMS.index("**落实“一岗双责”")]}),
    Case("structure.empty", False, "只有表格的整改措施不算空", {"03-整改措施.md": MEASURES + (
        "\n## 整改清单\n\n| 问题 | 措施 | 责任人 | 时限 |\n| --- | --- | --- | --- |\n"
        "| 学用结合不紧密 | 调研课题限期结题 | 党委书记 | 2024年6月底前 |\n")}),
    # numbering
    Case("numbering", True, "一是之后是三是", txt=SEED_LIKE_TXT.replace(
        "一是开拓创新不够。如，全年引进产业项目仅1个。",
        "一是开拓创新不够。如，全年引进产业项目仅1个。三是创新措施不多。如，3项改革任务进度滞后。")),
    Case("numbering", True, "（一）之后是（三）", txt=SEED_LIKE_TXT.replace("（二）在政治素质方面", "（三）在政治素质方面")),
    Case("numbering", False, "编号连续", txt=SEED_LIKE_TXT),
    Case("numbering", False, "Markdown 不写编号", {}),
    # content.placeholder
    Case("content.placeholder", True, "XX 镇和 202X 年", {"01-存在的问题.md": PROBLEMS.replace(
        "如，今年理论学习中心组", "如，202X年XX镇理论学习中心组")}),
    Case("content.placeholder", True, "* 代替数字", txt=SEED_LIKE_TXT.replace("仅3次", "仅*次")),
    Case("content.placeholder", False, "粗体与列表不是占位符", {"03-整改措施.md": MEASURES + (
        "\n## 强化制度执行\n\n* **健全制度。**2024年3月底前修订议事规则。\n- **严格执行。**每季度通报一次执行情况。\n")}),
    # content.residue
    Case("content.residue", True, "##paidbegin## 残留", {"01-存在的问题.md": PROBLEMS.replace(
        "学用结合不够紧密。", "学用结合##paidbegin##不够紧密。")}),
    Case("content.residue", True, "网页的“浏览量”", txt=SEED_LIKE_TXT + "浏览量：1024\n"),
    Case("content.residue", False, "完整的材料", {}),
    # content.term
    Case("content.term", True, "新世代", {"02-原因剖析.md": CAUSES.replace("新时代", "新世代")}),
    Case("content.term", True, "三个自信", {"02-原因剖析.md": CAUSES.replace("“两个维护”", "“三个自信”")}),
    Case("content.term", False, "“两个维护”和套在引号中的‘四个意识’", {"02-原因剖析.md": CAUSES.replace(
        "“两个维护”", "“两个维护”，树牢“增强‘四个意识’、坚定‘四个自信’”的自觉")}),
    # content.copied: the caller that compared the corpus supplies the reports (tests/test_similar.py
    # finds them with gongwen.similar); one material checked alone has none.
    Case("content.copied", True, "比对结果中有一条问题与另一单位材料雷同", {}, kwargs={"copies": [COPY_REPORT]}),
    Case("content.copied", False, "单独检查一份材料（没有比对结果）", {}),
    # content.no-example
    Case("content.no-example", True, "问题没有事例", {"01-存在的问题.md": PROBLEMS.replace(
        "如，6月研究农贸市场改造项目时，会议材料会前1天才送达班子成员。", "会前沟通不够充分。")}),
    Case("content.no-example", False, "每个问题都有“如，……”", {}),
    Case("content.no-example", False, "有数字也算具体", txt=SEED_LIKE_TXT.replace(
        "如，全年与基层党员谈心谈话仅3次。", "全年与基层党员谈心谈话仅3次。")),
    # content.not-problem
    Case("content.not-problem", True, "以措施代替问题", {"01-存在的问题.md": PROBLEMS.replace(
        "**理论学习不深不透。**", "**进一步加强理论学习。**")}),
    Case("content.not-problem", True, "以成绩代替问题", {"01-存在的问题.md": PROBLEMS.replace(
        "**学用结合不够紧密。**", "**理论学习取得明显成效。**")}),
    Case("content.not-problem", False, "问题写明不足", {}),
    # content.owner-deadline
    Case("content.owner-deadline", True, "整改任务没有责任人和时限", txt=RECTIFICATION_PLAN.format(second="")),
    Case("content.owner-deadline", False, "整改任务写明责任人和时限",
         txt=RECTIFICATION_PLAN.format(second="责任人：党委副书记；完成时限：长期坚持。")),
    Case("content.owner-deadline", False, "对照检查材料的整改措施不要求", {}),
    # typography.halfwidth-punct
    Case("typography.halfwidth-punct", True, "半角逗号和句号", {"02-原因剖析.md": CAUSES.replace(
        "是到位的，但在", "是到位的,但在").replace("以会代学的现象。", "以会代学的现象.")}),
    Case("typography.halfwidth-punct", False, "小数、网址、链接与粗体", {"03-整改措施.md": MEASURES + (
        "\n## 提升工作效能\n\n**压缩文件数量。**全年发文数量压减3.5%，"
        "详见[整改台账](https://oa.example.gov.cn/tz?id=3)，流程见 `gongwen check`。\n")}),
    # typography.cjk-space
    Case("typography.cjk-space", True, "汉字之间有空格", {"02-原因剖析.md": CAUSES.replace(
        "有的班子成员联系群众", "有的班子成员 联系群众")}),
    Case("typography.cjk-space", False, "粗体后的空格和中英文之间的空格", {"01-存在的问题.md": PROBLEMS.replace(
        "**理论学习不深不透。**对", "**理论学习不深不透。** 对").replace("如，今年", "如，2023 年")}),
    # typography.quote-pair
    Case("typography.quote-pair", True, "引号左右颠倒", {"02-原因剖析.md": CAUSES.replace("“两个维护”", "”两个维护“")}),
    Case("typography.quote-pair", True, "书名号不成对", {"03-整改措施.md": MEASURES.replace(
        "每次学习后形成落实清单", "认真学习《中国共产党章程，每次学习后形成落实清单")}),
    Case("typography.quote-pair", False, "引号在段内跨行成对", {"02-原因剖析.md": CAUSES.replace(
        "坚决做到“两个维护”", "坚决做到“两个\n维护”")}),
    # meta.field
    Case("meta.field", True, "年度写成汉字", {"index.md": "---\ntype: 2023-zhuti-jiaoyu-banzi\nyear: 二〇二三\n"
                                                        "unit: 某镇党委\n密级: 内部\n状态: 定稿\n---\n\n" + INDEX},
         front=False),
    Case("meta.field", True, "没有文件头", {}, front=False),
    Case("meta.field", False, "文件头齐全", {}),
    # security.classified
    Case("security.classified", True, "机密材料进入网站构建", {"index.md": "---\ntype: 2023-zhuti-jiaoyu-banzi\n"
         "year: 2023\nunit: 某镇党委\n密级: 机密★5年\n状态: 定稿\n---\n\n" + INDEX}, front=False,
         kwargs={"for_site": True}),
    Case("security.classified", False, "内部材料", {}, kwargs={"for_site": True}),
    # security.raw-html
    Case("security.raw-html", True, "script 标签", {"03-整改措施.md": MEASURES + "\n<script>alert('整改')</script>\n"}),
    Case("security.raw-html", True, "javascript: 链接", {"03-整改措施.md": MEASURES + (
        "\n详见[整改台账](javascript:alert(1))。\n")}),
    # ledger.*
    Case("ledger.columns", True, "整改清单没有完成时限列", {"04-整改清单.md": "# 整改清单\n\n| 问题 | 整改措施 | 责任人 |\n"
         "| --- | --- | --- |\n| （一）一是 | 中心组每月专题研讨一次 | 党委书记 |\n"}),
    Case("ledger.columns", False, "列齐全、顺序不同、用同义词", {"04-整改清单.md": "# 整改台账\n\n"
         "| 整改时限 | 存在问题 | 措施 | 责任单位（人） |\n| --- | --- | --- | --- |\n| 2024年底前 | （一）一是 | 专题研讨 | 党政办陈某 |\n"}),
    Case("ledger.unmatched", True, "（六）一是没有整改措施", {"04-整改清单.md": _ledger_with(6, None)}),
    Case("ledger.unmatched", False, "每个问题都有整改措施", {"04-整改清单.md": LEDGER}),
    Case("ledger.unmatched", False, "没有整改清单的对照检查材料", {}),
    Case("ledger.unknown-problem", True, "问题的首句写错", {"04-整改清单.md": _ledger_with(
        1, "| 学用结合不紧 | 2个调研课题形成具体措施 | 党委副书记 | 组织委员刘某 | 2024年6月底前 | 已完成 |")}),
    Case("ledger.unknown-problem", True, "编号不存在", {"04-整改清单.md": _ledger_with(
        1, "| （七）一是 | 2个调研课题形成具体措施 | 党委副书记 | 组织委员刘某 | 2024年6月底前 | 已完成 |")}),
    Case("ledger.unknown-problem", False, "编号、完整编号与首句（标点不计）", {"04-整改清单.md": _ledger_with(
        1, "| 一（一）二是；学用结合 不够紧密 | 2个调研课题形成具体措施 | 党委副书记 | 组织委员刘某 | 2024年6月底前 | 已完成 |")}),
    Case("ledger.stale-reference", True, "删去一个方面后，“（五）一是”指向了另一个问题",
         {"01-存在的问题.md": PROBLEMS.replace(PROBLEMS[PROBLEMS.index("## 在担当作为方面"):PROBLEMS.index("## 在工作作风方面")], ""),
          "04-整改清单.md": LEDGER}, earlier={"04-整改清单.md": LEDGER}),
    Case("ledger.stale-reference", False, "删去的方面之后的行写成“编号：首句”（由 ledger.unknown-problem 报告编号与首句不符）",
         {"01-存在的问题.md": PROBLEMS.replace(PROBLEMS[PROBLEMS.index("## 在担当作为方面"):PROBLEMS.index("## 在工作作风方面")], ""),
          "04-整改清单.md": _CITED}, earlier={"04-整改清单.md": _CITED}),
    Case("ledger.stale-reference", False, "材料没有改动，再次检查", {"04-整改清单.md": LEDGER},
         earlier={"04-整改清单.md": LEDGER}),
    Case("ledger.owner", True, "没有责任领导和责任人", {"04-整改清单.md": _ledger_with(
        3, "| （三）一是 | 建立项目包联制度 |  |  | 2024年底前 | 已完成 |")}),
    Case("ledger.owner", False, "责任领导与责任人齐全", {"04-整改清单.md": LEDGER}),
    Case("ledger.deadline", True, "时限写“尽快”", {"04-整改清单.md": _ledger_with(
        3, "| （三）一是 | 建立项目包联制度 | 镇长 | 经发办主任吴某 | 尽快 | 推进中 |")}),
    Case("ledger.deadline", True, "没有时限", {"04-整改清单.md": _ledger_with(
        3, "| （三）一是 | 建立项目包联制度 | 镇长 | 经发办主任吴某 |  | 推进中 |")}),
    Case("ledger.deadline", False, "日期、月底、年底、长期坚持、立行立改", {"04-整改清单.md": LEDGER}),
    Case("ledger.status", True, "状态用词不认识", {"04-整改清单.md": _ledger_with(
        3, "| （三）一是 | 建立项目包联制度 | 镇长 | 经发办主任吴某 | 2024年底前 | 差不多了 |")}),
    Case("ledger.status", False, "同义词（已整改到位、已整改销号）", {"04-整改清单.md": LEDGER}),
    Case("ledger.overdue", True, "时限已过仍在推进", {"04-整改清单.md": _ledger_with(
        3, "| （三）一是 | 建立项目包联制度 | 镇长 | 经发办主任吴某 | 2024年6月底前 | 推进中 |")},
         kwargs={"today": __import__("datetime").date(2024, 7, 1)}),
    Case("ledger.overdue", False, "时限已过但已完成，长期坚持不逾期", {"04-整改清单.md": LEDGER},
         kwargs={"today": __import__("datetime").date(2026, 1, 1)}),
    Case("ledger.previous", True, "previous 指定的上年度材料不存在", {"index.md": "---\ntype: 2023-zhuti-jiaoyu-banzi\n"
         "year: 2023\nunit: 某镇党委\n密级: 内部\n状态: 定稿\nprevious: 2022-某镇党委\n---\n\n" + INDEX}, front=False),
    Case("ledger.previous", False, "上年度未完成的措施在本年清单中有同一问题", {"04-整改清单.md": LEDGER, "index.md":
         "---\ntype: 2023-zhuti-jiaoyu-banzi\nyear: 2023\nunit: 某镇党委\n密级: 内部\n状态: 定稿\nprevious: material\n---\n\n"
         + INDEX}, front=False),
    # review.comment: a leader's 批注 (gongwen revisions) is a hint; a sidecar that cannot be read, a warning.
    Case("review.comment", True, "批注.yaml 不是列表", {"批注.yaml": "文件: 01-存在的问题.md\n行: 5\n"}),
    Case("review.comment", False, "批注只作提示", {"批注.yaml": "- 文件: 01-存在的问题.md\n  行: 5\n  作者: 张书记\n"
         "  日期: 2025-01-10\n  批注: 事例再具体些\n"}),
    Case("security.raw-html", False, "代码中的 <script> 只是文字", {"03-整改措施.md": MEASURES + (
        "\n网页中的 `<script>` 标签会被删除。\n")}),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{'pos' if c.positive else 'neg'}-{i}" for i, c in enumerate(CASES)])
def test_case(case: Case, tmp_path):
    diags = of_rule(case.run(tmp_path), case.rule)
    if case.positive:
        assert [d for d in diags if d.severity in ("error", "warning")], f"{case.rule} 未报告：{case.what}"
    else:
        assert [d for d in diags if d.severity != "info"] == [], [d.format() for d in diags]


def test_every_rule_has_a_positive_and_a_negative_case():
    for rule_id in RULES:
        kinds = {c.positive for c in CASES if c.rule == rule_id}
        assert kinds == {True, False}, f"{rule_id} 缺少正例或反例"


def test_design_rule_ids_are_all_registered_with_docs():
    design = {"structure.section", "structure.aspect", "structure.level", "structure.empty", "numbering",
              "content.placeholder", "content.residue", "content.term", "content.no-example",
              "typography.halfwidth-punct", "typography.cjk-space", "typography.quote-pair", "meta.field",
              "security.classified", "security.raw-html"}
    assert design <= set(RULES)
    for r in RULES.values():
        assert r.severity in ("error", "warning", "info")
        assert r.title and r.description and r.bad and r.good, r.id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.title + r.description), r.id
