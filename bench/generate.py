"""Generate N realistic, varied materials in the material layout, from the seed corpus.

    python -m bench.generate N OUTDIR [--seed S]

OUTDIR becomes a docs folder: `index.md` (with the `<!-- gongwen:materials -->` listing
marker) and one folder per material (`index.md` with front matter, title and 导语, then one
`.md` per 一级 section, headings and points unnumbered, points as paragraphs opening with a
bold lead sentence). Every material is complete: no placeholders, no paste residue, every
problem point carries a concrete example (如，…), so a strict build of the project passes.

Text comes from the seed (`tests/fixtures/seed/2023-zhuti-jiaoyu-banzi.txt`, the original
text kept in the repository): its sentences are shuffled and
recombined, its redactions (`*`) filled with numbers or words, and unit names, years,
types (from schemas/), statuses and point counts vary. A material is about 14 KB of
Markdown like the seed (so N = 1000 gives about 14 MB, as in DESIGN.md §6).

Deterministic: material i depends only on (seed, i), so the corpus for N = 10 is the
first ten materials of the corpus for N = 1000.

`page_texts(docs_dir)` gives the plain text of every material page (the truth for search
benchmarks); `page_url(rel)` the URL MkDocs gives that page.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
SEED_TXT = ROOT / "tests" / "fixtures" / "seed" / "2023-zhuti-jiaoyu-banzi.txt"
LISTING_MARK = "<!-- gongwen:materials -->"
MARKER = ".bench-generated"  # a docs folder we made (and may wipe); MkDocs ignores dotfiles
MATERIAL_BYTES = (12_000, 16_500)  # target size range of one material's Markdown

CN_NUM = "零一二三四五六七八九十"
ORDINALS = ["一是", "二是", "三是", "四是", "五是", "六是"]


# --------------------------------------------------------------------------- corpus

@dataclass
class Corpus:
    title: str
    intro: str
    leads: list[str]  # bold lead sentences of problem points (ending in 。)
    sentences: list[str]  # general problem sentences
    examples: list[str]  # sentences opening with 如，
    reason_heads: list[str]
    reason_sentences: list[str]
    measure_heads: list[str]
    measure_sentences: list[str]


def _sentences(text: str) -> list[str]:
    parts = [p + "。" for p in text.split("。") if p.strip()]
    # Keep only sentences whose quotes and brackets pair up on their own.
    return [p for p in parts if p.count("“") == p.count("”") and p.count("《") == p.count("》")]


def _seed_lines() -> list[str]:
    return [line.strip() for line in SEED_TXT.read_text(encoding="utf-8-sig").splitlines() if line.strip()]


def _fill_redactions(text: str) -> str:
    # The seed's `*` stand for numbers (before 个/项) or for 党建; fill them deterministically.
    counter = iter([12, 3, 5, 16, 8, 27, 4, 9] * 4)
    text = re.sub(r"\*(?=[个项])", lambda m: str(next(counter)), text)
    return text.replace("*", "党建")


def load_corpus() -> Corpus:
    lines = _seed_lines()
    text = _fill_redactions("\n".join(lines))
    text = re.sub(r"##paid(?:begin|end)##", "", text)
    lines = [line for line in text.split("\n") if line.strip()]
    title, intro = lines[0], lines[1]
    leads, sentences, examples = [], [], []
    reason_heads, reason_sentences, measure_heads, measure_sentences = [], [], [], []
    part = None
    for line in lines[2:]:
        m = re.match(r"^[一二三四五六七八九十]+、(.+)$", line)
        if m:
            name = m.group(1)
            part = "problems" if "问题" in name else "reasons" if ("原因" in name or "剖析" in name) else "measures"
            continue
        m = re.match(r"^（[一二三四五六七八九十]+）([^。]+)。(.*)$", line)
        if not m:
            continue
        head, body = m.group(1), m.group(2)
        if part == "problems":
            for chunk in re.split(r"(?:^|(?<=。))[一二三四五六七八九十]是", body):
                if not chunk.strip():
                    continue
                lead, _, rest = chunk.partition("。")
                leads.append(lead + "。")
                for s in _sentences(rest):
                    (examples if s.startswith("如，") else sentences).append(s)
        elif part == "reasons":
            reason_heads.append(head)
            reason_sentences += _sentences(body)
        elif part == "measures":
            measure_heads.append(head)
            measure_sentences += _sentences(body)
    return Corpus(title, intro, leads, sentences, examples, reason_heads, reason_sentences,
                  measure_heads, measure_sentences)


# --------------------------------------------------------------------------- variety

PLACES = ["青山", "河东", "石桥", "柳林", "新华", "东风", "红旗", "白沙", "龙泉", "金水", "桃源", "杨柳",
          "双河", "凤凰", "长岭", "清水", "马坊", "高庄", "西湖", "南关", "北城", "平安", "永丰", "太平",
          "梨园", "三江", "云岭", "临河", "安乐", "兴隆"]
# (unit pattern, self reference, whole-unit word, level above)
UNITS = [
    ("{p}镇党委", "我镇", "全镇", "县委"),
    ("{p}乡党委", "我乡", "全乡", "县委"),
    ("{p}街道党工委", "我街道", "全街道", "区委"),
    ("{p}县人社局党组", "我局", "全系统", "县委"),
    ("{p}县财政局党组", "我局", "全系统", "县委"),
    ("{p}县教育局党组", "我局", "全系统", "县委"),
    ("{p}县农业农村局党组", "我局", "全系统", "县委"),
    ("{p}区市场监管局党组", "我局", "全系统", "区委"),
    ("{p}县卫生健康委党组", "我委", "全系统", "县委"),
    ("{p}县委组织部部务会", "我部", "全县", "县委"),
    ("{p}市住建局党组", "我局", "全系统", "市委"),
    ("{p}县发展改革委党组", "我委", "全系统", "县委"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林"
GIVEN = ["建国", "海峰", "丽华", "志强", "晓东", "春梅", "国庆", "文斌", "秀兰", "立新", "红军", "亚平",
         "卫东", "雪梅", "振华", "永刚", "淑芬", "宏伟", "明亮", "桂英"]
POSTS = {"党委": ["党委书记", "党委副书记、镇长", "党委委员、副镇长", "党委委员、组织委员"],
         "党组": ["党组书记、局长", "党组成员、副局长", "党组成员、纪检组长"],
         "工委": ["党工委书记", "党工委副书记、办事处主任", "党工委委员、武装部部长"],
         "务会": ["部务会成员、副部长", "部长"]}

TYPES = [
    # (schema id, weight)
    ("2023-zhuti-jiaoyu-banzi", 3), ("2023-zhuti-jiaoyu-geren", 2),
    ("2023-minzhu-shenghuohui-banzi", 2), ("2023-minzhu-shenghuohui-geren", 1),
    ("2023-zuzhi-shenghuohui", 1),
    ("2024-minzhu-shenghuohui-banzi", 3), ("2024-minzhu-shenghuohui-geren", 2),
    ("2025-minzhu-shenghuohui-banzi", 3), ("2025-minzhu-shenghuohui-geren", 2),
]
STATUSES = [("定稿", 45), ("征求意见稿", 45), ("草稿", 10)]

TOPICS = ["理论学习", "调查研究", "意识形态工作", "基层党建", "为民服务", "作风建设", "制度执行",
          "统筹协调", "风险防范", "改革创新", "党风廉政建设", "干部队伍建设", "学用结合", "安全生产监管",
          "矛盾纠纷化解", "营商环境优化", "乡村振兴", "联系服务群众"]
SHORTFALLS = ["还不够深入", "有待加强", "存在短板", "落实不够到位", "用力不够均衡", "成效不够明显",
              "与要求还有差距", "抓得不够实", "缺乏长效机制", "统筹推进不够有力"]
EXTRA_SENTENCES = [
    "有时满足于开会部署、发文督促，一竿子插到底的工作作风不够扎实。",
    "对上级部署的重点任务，有时存在重安排轻落实、重过程轻结果的倾向。",
    "对{topic}中出现的新情况新问题，主动研究、提前谋划不够，被动应对的多。",
    "面对{topic}的新任务新要求，有的同志本领恐慌，依赖老办法、老经验。",
    "在推动{topic}时，督促检查、跟踪问效的闭环机制还不健全。",
    "对群众反映强烈的急难愁盼问题，有时回应不够及时，解决不够彻底。",
]
EXAMPLES = [
    "如，{y}年以来，{self}共收到群众反映问题{n}件，按期办结{m}件，仍有{k}件未能按期办结。",
    "如，在{y}年开展的{topic}专项行动中，制定的{n}条措施只落实了{m}条，其余仍停留在纸面上。",
    "如，{y}年全年召开班子会议{n}次，专题研究{topic}仅{k}次，研究深度不够。",
    "如，{y}年{mon}月对{whole}{n}个单位开展督导，发现问题{m}个，整改到位的只有{k}个。",
    "如，{y}年组织中心组学习{n}次，其中联系实际开展研讨的只有{k}次。",
    "如，{y}年{mon}月以来，到基层调研{n}次，形成有分量的调研报告仅{k}篇，调研成果转化不足。",
]
CASES = [
    "{y}年{mon}月，{place}片区因土地流转合同到期引发纠纷，{n}户群众集中反映诉求，{self}虽然牵头召开了协调会，但前期排查不细、预判不足，问题拖延{k}个月才化解。",
    "{y}年开展{topic}专项整治时，{self}排查出问题{n}个，但部分问题整改只停留在建立台账、印发通知上，{k}个问题出现反弹。",
    "{y}年{mon}月，上级督导组指出{self}在{topic}方面存在{n}个问题，其中{k}个问题与上年度查摆的问题相似，说明整改不够彻底。",
]
CASE_TAILS = [
    "这一案例反映出班子对{topic}的重要性认识不足，抓落实的韧劲不够。",
    "剖析根源，表面上是工作方法问题，根子上是宗旨意识和责任担当还不够强。",
    "这一案例警示我们，问题整改必须举一反三、标本兼治，不能就事论事。",
]
REASON_EXTRA = ["纪律规矩意识不够严", "斗争精神不够足", "统筹谋划能力不够强", "党性锻炼不够经常", "群众观念不够牢"]
MEASURE_EXTRA = ["压实管党治党责任", "健全长效机制", "提升能力本领", "密切联系群众", "强化政治引领"]
MEASURE_DEADLINES = [
    "对查摆出的问题建立问题清单{n}条、任务清单{m}条，明确责任人和完成时限，{y2}年{mon}月底前完成整改。",
    "对能立即解决的问题立行立改，对需要长期坚持的问题制定{n}项制度措施，长期坚持、久久为功。",
    "每季度开展一次整改情况“回头看”，{y2}年{mon}月底前将整改落实情况向{above}报告。",
]


def _cn(n: int) -> str:
    return CN_NUM[n] if n <= 10 else str(n)


def _weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights, k=1)[0]


@functools.cache
def _load_schema(type_id: str) -> dict:
    """The schema's YAML with `extends:` applied (only aspects and add_sections matter here).
    Cached: callers must not mutate the result."""
    data = yaml.safe_load((SCHEMAS / f"{type_id}.yaml").read_text(encoding="utf-8"))
    parent = data.get("extends")
    if parent:
        base = dict(_load_schema(parent))
        aspects = data.get("aspects") or base.get("aspects") or []
        extra = (base.get("add_sections") or []) + (data.get("add_sections") or [])
        base.update(data)
        base["aspects"], base["add_sections"] = aspects, extra
        return base
    return data


# --------------------------------------------------------------------------- one material

class _Writer:
    def __init__(self, corpus: Corpus, rng: random.Random, ctx: dict):
        self.c, self.rng, self.ctx = corpus, rng, ctx
        self.decks: dict[int, list[str]] = {}

    def draw(self, pool: list[str], k: int = 1) -> list[str]:
        """k distinct items, drawn without replacement from a shuffled deck of the pool (refilled
        when empty), so a material repeats a seed sentence only after using the others."""
        out: list[str] = []
        while len(out) < min(k, len(pool)):
            deck = self.decks.get(id(pool))
            if not deck:
                deck = self.decks[id(pool)] = self.rng.sample(pool, len(pool))
            item = deck.pop()
            if item not in out:
                out.append(item)
        return out

    def fmt(self, template: str) -> str:
        r = self.rng
        n = r.randint(8, 60)
        m = r.randint(n // 3, n - 2)
        return template.format(y=self.ctx["year"], y2=self.ctx["year"] + 1, mon=r.randint(2, 11), n=n, m=m,
                               k=r.randint(1, max(1, min(9, m - 1))), topic=r.choice(TOPICS), **self.ctx["names"])

    def localise(self, text: str) -> str:
        names = self.ctx["names"]
        text = text.replace("我镇", names["self"]).replace("全镇", names["whole"]).replace("市委", names["above"])
        if self.ctx["personal"]:
            for a, b in (("有的班子成员", "自己有时"), ("班子成员之间", "与班子成员之间"), ("领导班子", "本人"),
                         ("班子成员", "自己"), ("班子履行", "本人履行")):
                text = text.replace(a, b)
        return text

    def example(self) -> str:
        r = self.rng
        if r.random() < 0.4:
            return self.localise(self.draw(self.c.examples)[0])
        return self.fmt(r.choice(EXAMPLES))

    def lead(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            return self.draw(self.c.leads)[0]
        return f"{r.choice(TOPICS)}{r.choice(SHORTFALLS)}。"

    def problem_point(self) -> str:
        r = self.rng
        body = self.draw(self.c.sentences, r.randint(1, 3))
        if r.random() < 0.35:
            body.append(self.fmt(r.choice(EXTRA_SENTENCES)))
        r.shuffle(body)
        at = r.randint(1, len(body))  # the example follows the general description
        body.insert(at, self.example())
        return f"**{self.lead()}**" + self.localise("".join(body))

    def paragraph(self, pool: list[str], lo: int, hi: int, extra: list[str] = ()) -> str:
        r = self.rng
        body = self.draw(pool, r.randint(lo, hi))
        for template in extra:
            body.insert(r.randint(0, len(body)), self.fmt(template))
        return self.localise("".join(body))


def _size(*groups: list[str]) -> int:
    return sum(len("\n\n".join(parts).encode("utf-8")) for parts in groups)


def material_files(corpus: Corpus, seed: int, i: int, ledger: bool = False) -> tuple[str, dict[str, str]]:
    """(folder name, {file name: Markdown}) of material i for a seed; with `ledger`, a
    整改清单 follows 整改措施 (the rest of the material is the same as without)."""
    rng = random.Random(f"gongwen-bench:{seed}:{i}")
    type_id = _weighted(rng, TYPES)
    schema = _load_schema(type_id)
    year = int(type_id[:4])
    personal = type_id.endswith("-geren") or "zuzhi" in type_id
    unit_pat, self_ref, whole, above = rng.choice(UNITS)
    place = rng.choice(PLACES)
    unit = unit_pat.format(p=place)
    person = rng.choice(SURNAMES) + rng.choice(GIVEN)
    names = {"self": self_ref, "whole": whole, "above": above, "place": rng.choice(PLACES) + "村"}
    ctx = {"year": year, "personal": personal, "names": names}
    w = _Writer(corpus, rng, ctx)

    meeting = schema.get("meeting", "")
    if "zuzhi" in type_id:
        unit = f"{place}县{rng.choice(['机关', '教育局', '财政局', '人社局'])}第{_cn(rng.randint(1, 4))}党支部"
        title = f"党员{person}{year}年度组织生活会对照检查材料"
    elif type_id == "2023-zhuti-jiaoyu-banzi":
        title = f"{unit}{rng.choice(['', '第二批'])}主题教育专题民主生活会领导班子对照检查材料"
        title = title.replace(unit, unit + "2023年", 1)
    elif type_id == "2023-zhuti-jiaoyu-geren":
        title = f"{person}同志2023年主题教育专题民主生活会个人对照检查材料"
    elif personal:
        title = f"{person}同志{year}年度民主生活会个人对照检查材料"
    else:
        title = f"{unit}{year}年度民主生活会领导班子对照检查材料"
    aspects = schema.get("aspects") or []
    status = _weighted(rng, STATUSES)
    held = (year + 1, rng.randint(1, 2)) if "年度" in meeting else (year, rng.choice([11, 12]))
    meta = {"type": type_id, "year": year, "unit": unit, "密级": "内部", "状态": status,
            "date": f"{held[0]}年{held[1]}月{rng.randint(3, 28)}日"}
    if personal:
        meta["author"] = person
    subject = "本人" if personal else "领导班子"
    count = "四个带头" if year == 2024 else f"{_cn(len(aspects))}个方面"
    intro = corpus.intro
    intro = intro.replace("2023年度专题民主生活会", meeting or "民主生活会").replace("领导班子", subject)
    intro = intro.replace("“六个方面”", f"“{count}”").replace("市委", above)
    if personal:
        post = "支部党员" if "zuzhi" in type_id else rng.choice(POSTS[unit_pat[-2:]])
        intro = intro.replace("会前，本人", f"会前，本人作为{post}，", 1)
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
    files = {"index.md": f"---\n{head}\n---\n\n# {title}\n\n{intro}\n"}

    target = rng.randint(*MATERIAL_BYTES) - len(files["index.md"].encode())
    has_case = bool([s for s in schema.get("add_sections") or [] if s.get("name") == "典型案例剖析"])
    sections: list[tuple[str, list[str]]] = []

    if year >= 2024 and rng.random() < 0.3:
        prev = ["对照上年度民主生活会查摆的问题，" + w.fmt("制定整改措施{n}项，已完成{m}项，其余正在持续推进。")]
        prev.append(w.paragraph(corpus.measure_sentences, 1, 2))
        sections.append(("上年度整改落实情况", prev))

    # 存在的问题: every official 方面 as a `##` heading, points round-robin until the budget is met.
    budget = int(target * rng.uniform(0.46, 0.54))
    per_aspect: list[list[str]] = [[w.problem_point()] for _ in aspects] or [[w.problem_point()]]
    while _size(*per_aspect) < budget and min(map(len, per_aspect)) < 4:
        slot = rng.choice([k for k, pts in enumerate(per_aspect) if len(pts) < 4])
        per_aspect[slot].append(w.problem_point())
    problems = []
    for k, pts in enumerate(per_aspect):
        if aspects:
            problems.append(f"## {aspects[k]}")
        problems += pts
    sections.append(("存在的问题", problems))

    if has_case:
        case = [w.fmt(rng.choice(CASES)) + w.fmt(rng.choice(CASE_TAILS))]
        if rng.random() < 0.5:
            case.append(w.fmt(rng.choice(CASES)) + w.paragraph(corpus.reason_sentences, 1, 1))
        sections.append(("典型案例剖析", [w.localise(p) for p in case]))

    if personal and year >= 2023 and "zuzhi" not in type_id and rng.random() < 0.5:
        sections.append(("个人有关事项", [
            (f"本人严格执行领导干部个人有关事项报告制度，{year}年如实报告了本人婚姻、"
             "配偶子女从业、房产、投资等情况，不存在应报告未报告的情况。")]))

    # 原因剖析 takes about 45 % of what is left, 整改措施 the rest.
    rest = max(target - _size(*(p for _, p in sections)), 2000)
    for name, heads, pool, extra, share in (
        ("原因剖析", corpus.reason_heads + REASON_EXTRA, corpus.reason_sentences, [], 0.45),
        ("整改措施", corpus.measure_heads + MEASURE_EXTRA, corpus.measure_sentences, MEASURE_DEADLINES, None),
    ):
        budget = int(rest * share) if share else target - _size(*(p for _, p in sections))
        chosen = rng.sample(heads, rng.randint(4, 6))
        parts: list[str] = []
        for h in chosen:
            parts += [f"## {h}", w.paragraph(pool, 1, 2, [rng.choice(extra)] if extra and rng.random() < 0.5 else [])]
        k = 1
        while _size(parts) < budget and k < 40:  # lengthen paragraphs until the budget is met
            j = 2 * rng.randrange(len(chosen)) + 1
            parts[j] += w.localise(w.draw(pool)[0])
            k += 1
        sections.append((name, parts))

    if ledger:
        sections.append(("整改清单", [_ledger_table(corpus, seed, i, ctx, aspects, per_aspect, held[0])]))

    width = 2
    for n, (name, parts) in enumerate(sections, 1):
        files[f"{n:0{width}d}-{name}.md"] = f"# {name}\n\n" + "\n\n".join(parts) + "\n"
    return f"{type_id}-{i:04d}", files


LEDGER_LEADERS = ["党委书记", "党委副书记", "镇长", "纪委书记", "组织委员", "分管副镇长"]
LEDGER_OFFICES = ["党政办主任", "组织办主任", "经发办主任", "纪委副书记", "农业服务中心主任", "社会事务办主任"]
LEDGER_STATES = [("已完成", 40), ("已整改到位", 10), ("推进中", 20), ("正在整改", 10), ("长期坚持", 15), ("", 5)]
_LEAD = re.compile(r"^\*\*(.+?)\*\*")


def _measure_cell(sentence: str) -> str:
    """A ledger's measure is a short task, not a paragraph: the sentence's first clauses, up to
    about 60 characters (the seed's measure sentences run to 150)."""
    cut = sentence
    if len(sentence) > 60:
        stops = [m.end() for m in re.finditer("[，；]", sentence) if 15 <= m.end() <= 60]
        cut = sentence[:stops[-1] - 1] + "。" if stops else sentence[:60].rstrip("，；、") + "。"
    return cut.replace("|", "\\|")


def _ledger_table(corpus: Corpus, seed: int, i: int, ctx: dict, aspects: list[str], per_aspect: list[list[str]],
                  year: int) -> str:
    """A 整改清单 answering every problem point: one or two measure rows each, the problem named by
    its number as the site shows it (（二）一是) or, one time in five, by its lead sentence.
    Its own random stream, so the rest of the material does not change with --ledger."""
    rng = random.Random(f"gongwen-bench-ledger:{seed}:{i}")
    w = _Writer(corpus, rng, ctx)
    rows = ["| 问题 | 整改措施 | 责任领导 | 责任人 | 完成时限 | 状态 |", "| --- | --- | --- | --- | --- | --- |"]
    leads = [m.group(1) for pts in per_aspect for p in pts if (m := _LEAD.match(p))]
    for k, points in enumerate(per_aspect):
        for j, point in enumerate(points):
            label = (f"（{_cn(k + 1)}）" if aspects else "") + ORDINALS[j]
            lead = _LEAD.match(point)
            # A lead sentence only where it is unique (the corpus repeats some within a material).
            by_lead = lead and leads.count(lead.group(1)) == 1 and rng.random() < 0.2
            ref = lead.group(1).rstrip("。") if by_lead else label
            for _ in range(rng.choice([1, 1, 2])):
                measure = _measure_cell(w.localise(w.draw(corpus.measure_sentences)[0]))
                leader = "本人" if ctx["personal"] else rng.choice(LEDGER_LEADERS)
                person = rng.choice(LEDGER_OFFICES) + rng.choice(SURNAMES) + "某"
                form = rng.randrange(5)
                m = rng.randint(1, 12)
                deadline = (f"{year}年{m}月底前", f"{year}年{m}月{rng.randint(1, 28)}日", f"{year}年底前", "长期坚持",
                            "立行立改")[form]
                rows.append(f"| {ref} | {measure} | {leader} | {person} | {deadline} | {_weighted(rng, LEDGER_STATES)} |")
    return "\n".join(rows)


# --------------------------------------------------------------------------- the corpus

HOME = """# 公文材料库

本站收录各单位的对照检查材料。本目录由 `python -m bench.generate` 生成，供基准测试使用。

## 材料一览

{mark}
"""


# --------------------------------------------------------------------------- varied text

# Most sentences of a generated material are the seed's, so its text compresses far better
# than real materials (an index of it gzips ~19x, real texts ~2x). `varied` replaces a share of
# the sentences with words drawn from jieba's dictionary by their frequency: Chinese with the
# statistics of real words, compressing like real text, while the kept sentences still hold
# the search queries' terms. Never a secrecy mark or a known wrong term.
_SENTENCE = re.compile(r"[^。！？]*[。！？]")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{1,4}")


@functools.lru_cache(maxsize=1)
def _dictionary() -> tuple[list[str], list[int]]:
    import jieba

    from gongwen.textpatterns import TERM_PATTERN

    words, cum, total = [], [], 0
    path = Path(jieba.__file__).parent / "dict.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        if not _CJK_WORD.fullmatch(word) or "密" in word or TERM_PATTERN.search(word):
            continue
        total += int(freq)
        words.append(word)
        cum.append(total)
    return words, cum


def _salad(rng: random.Random, length: int) -> str:
    words, cum = _dictionary()
    out, size = [], 0
    while size < length:
        w = rng.choices(words, cum_weights=cum)[0]
        out.append(w)
        size += len(w)
        if size < length and rng.random() < 0.12:
            out.append("，")
            size += 1
    return "".join(out).strip("，") + "。"


def vary(text: str, rng: random.Random, share: float) -> str:
    """text with about `share` of its plain sentences replaced by dictionary words."""
    lines = text.split("\n")
    body = 0
    if lines and lines[0] == "---":  # front matter stays
        body = lines.index("---", 1) + 1
    for i in range(body, len(lines)):
        line = lines[i]
        if not line or line.startswith(("#", "|", "<", "-", ">")):
            continue

        def swap(m: re.Match) -> str:
            s = m.group(0)
            if "*" in s or "[" in s or rng.random() >= share:
                return s
            return _salad(rng, max(len(s) - 1, 4))
        lines[i] = _SENTENCE.sub(swap, line)
    return "\n".join(lines)


def generate(n: int, docs_dir: Path, seed: int = 0, ledger: bool = False,
             varied: float = 0.0) -> list[Path]:
    """Write n materials and a home page into docs_dir; return the material folders.
    varied: the share of sentences replaced by dictionary words (see vary()).

    An existing docs_dir is emptied first only if we generated it (it holds the marker file)."""
    docs_dir = Path(docs_dir)
    if docs_dir.exists() and any(docs_dir.iterdir()):
        if not (docs_dir / MARKER).exists():
            raise SystemExit(f"{docs_dir} 不为空，且不是 bench.generate 生成的目录，拒绝覆盖")
        shutil.rmtree(docs_dir)
    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / MARKER).write_text(f"n={n} seed={seed}" + (" ledger" if ledger else "")
                                   + (f" varied={varied}" if varied else "") + "\n", encoding="utf-8")
    corpus = load_corpus()
    folders = []
    for i in range(1, n + 1):
        name, files = material_files(corpus, seed, i, ledger)
        folder = docs_dir / name
        folder.mkdir()
        rng = random.Random(f"gongwen-bench-varied:{seed}:{i}")
        for fname, text in files.items():
            if varied:
                text = vary(text, rng, varied)
            (folder / fname).write_text(text, encoding="utf-8")
        folders.append(folder)
    (docs_dir / "index.md").write_text(HOME.format(mark=LISTING_MARK), encoding="utf-8")
    return folders


# --------------------------------------------------------------------------- truth for search benches

_INLINE = re.compile(r"\*\*|__|\\(?=[!-/:-@\[-`{-~])")


def page_texts(docs_dir: Path) -> dict[str, str]:
    """{path relative to docs_dir (POSIX): plain text} for every page of every material folder:
    front matter dropped, heading marks, bold marks and Markdown escapes removed."""
    docs_dir = Path(docs_dir)
    out: dict[str, str] = {}
    for index in sorted(docs_dir.glob("*/index.md")):
        for md in sorted(index.parent.glob("*.md")):
            text = md.read_text(encoding="utf-8-sig")
            if text.startswith("---\n"):
                text = text.split("\n---\n", 1)[1]
            lines = [re.sub(r"^#{1,6}\s+", "", line) for line in text.splitlines()]
            out[md.relative_to(docs_dir).as_posix()] = _INLINE.sub("", "\n".join(lines)).strip()
    return out


def page_url(rel: str) -> str:
    """The site URL (use_directory_urls) of a page given its path relative to docs_dir."""
    p = Path(rel)
    return (p.parent.as_posix() + "/" if p.stem == "index" else f"{p.parent.as_posix()}/{p.stem}/").lstrip("./") or ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.generate", description="生成基准测试用的材料语料")
    ap.add_argument("n", type=int, help="材料份数")
    ap.add_argument("outdir", type=Path, help="输出的 docs 目录")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ledger", action="store_true", help="每份材料附整改清单（一级标题“整改清单”，每个问题一至两项措施）")
    ap.add_argument("--varied", type=float, default=0.0, metavar="比例",
                    help="把这一比例的句子换成按词频抽取的词典词语，使文本像真实材料一样难以压缩（如 0.8）")
    args = ap.parse_args(argv)
    folders = generate(args.n, args.outdir, args.seed, ledger=args.ledger, varied=args.varied)
    size = sum(f.stat().st_size for d in folders for f in d.glob("*.md"))
    pages = sum(1 for d in folders for _ in d.glob("*.md"))
    print(f"已生成 {len(folders)} 份材料，{pages} 个页面，Markdown 共 {size / 1e6:.2f} MB：{args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
