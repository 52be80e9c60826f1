"""A labelled corpus for copy detection: independent materials plus injected edited copies.

    python -m bench.similar_corpus N OUTDIR [--seed S] [--copy-rate R]

Independent materials are written from word pools (not from the one seed text, whose
sentences every generated material shares): sentences join 6-10 two- or four-character
words drawn at random, so two unrelated materials share no run of 13 characters except the
stock phrases each one quotes (the formulas in gongwen/data/stock_phrases.txt and one
notice sentence every 导语 repeats). Each material is a .txt file of about 15 KB (title,
导语, three 一级 sections: problems as 一是… points with examples, reasons, measures).

Then a share of the materials (copy_rate) each receive 1-3 points copied from another
material or from one of a few web templates (references/), each at one of four levels:

    L1 换词      nouns swapped, numbers changed, a sentence dropped or added, clauses reordered
    L2 删改拼拆  trimmed (the first sentences only), two points merged into one, one split into two
    L3 换领域词  three of the source's subject words replaced everywhere, its last sentence cut
    L4 洗稿      every wording of the variant table (gongwen/data/similar_variants.txt) swapped
                 for another, the clauses of every sentence reordered, numbers changed

labels.json lists every injected copy as (copy file, line) <- (source file, line), with its
level (a merged point has two labels, a split one two copy lines). L4 draws on the same table
the detector uses: it measures the machinery, not how many real rewordings the table knows.

Deterministic for (N, seed).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
from pathlib import Path

WORDS = ["学习", "调研", "党建", "群众", "基层", "干部", "制度", "作风", "项目", "资金", "监督", "考核", "宣传", "培训", "服务", "改革", "创新", "安全", "环保", "民生", "教育", "医疗", "就业", "产业", "招商", "审批", "信访", "巡察", "整改", "落实", "规划", "建设", "管理", "督查", "统筹", "协调", "部署", "推进", "检查", "评估", "台账", "预算", "采购", "合同", "档案", "会议", "文件", "报表", "数据", "平台", "窗口", "站所", "村组", "社区", "园区", "企业", "农户", "学校", "医院", "道路", "水利", "电网", "住房", "养老", "托育", "文化", "体育", "旅游", "交通", "物流", "电商", "农业", "林业", "畜牧", "渔业", "乡村", "集镇", "街道", "楼宇", "网格", "队伍", "编制", "人才", "梯队", "岗位", "职责", "流程", "标准", "清单", "任务", "指标", "节点", "进度", "成效", "短板", "弱项", "隐患", "风险", "矛盾", "纠纷", "诉求", "热线", "走访", "座谈", "谈话", "约谈", "通报", "问责", "追责", "容错", "激励", "关爱", "保障", "补贴", "奖补", "扶持", "帮扶", "结对", "包联", "联络", "值班", "应急", "防汛", "消防", "食品", "药品", "市场", "价格", "税收", "财政", "债务", "国资", "审计", "统计", "测绘", "土地", "矿产", "森林", "河湖", "生态"]
VERBS = ["抓得不实", "推进缓慢", "研究不深", "跟踪不够", "衔接不畅", "落实走样", "重视不够", "措施不多", "办法不多", "标准不高", "要求不严", "监管缺位", "压力传导不足", "层层递减", "浮于表面", "流于形式", "满足于完成任务", "习惯于老办法", "缺乏长远谋划"]
LINKS = ["的", "和", "与", "及", "在", "对", "把", "将", "从", "向", "为", "中", "上"]
UNITS = ["青山镇党委", "绿水乡党委", "东城街道党工委", "西岭镇党委", "南湖区教育局党组", "北关县水利局党组",
         "河口镇党委", "桃源乡党委", "新区管委会党组", "县卫健委党组", "市场监管局党组", "县交通局党组"]
ASPECTS = ["在理论学习方面", "在政治素质方面", "在能力本领方面", "在担当作为方面", "在工作作风方面", "在廉洁自律方面"]
STOCK_PATH = Path(__file__).resolve().parent.parent / "gongwen" / "data" / "stock_phrases.txt"
NOTICE = ("按照会议通知要求，会前，班子成员之间、班子成员与分管部门负责人之间开展了谈心谈话，"
          "采取发放征求意见表、召开座谈会、个别访谈等方式广泛征求意见建议。现将对照检查情况报告如下。")


def stock_phrases() -> list[str]:
    lines = STOCK_PATH.read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


def word(rng: random.Random) -> str:
    return rng.choice(WORDS) + (rng.choice(WORDS) if rng.random() < 0.5 else "")


def clause(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(3, 5)):
        parts.append(word(rng))
        if rng.random() < 0.4:
            parts.append(rng.choice(LINKS))
    parts.append(rng.choice(VERBS) if rng.random() < 0.5 else word(rng))
    return "".join(parts)


def sentence(rng: random.Random, stock: list[str], stock_rate: float = 0.15) -> str:
    clauses = [clause(rng) for _ in range(rng.randint(2, 3))]
    if rng.random() < stock_rate:  # materials quote formulas everywhere: shared, never copying
        clauses.insert(rng.randrange(len(clauses) + 1), rng.choice(stock))
    return "，".join(clauses) + "。"


def example(rng: random.Random) -> str:
    return (f"如，{rng.randint(2019, 2025)}年{rng.randint(1, 12)}月{clause(rng)}{rng.randint(2, 99)}次，"
            f"{clause(rng)}{rng.randint(1, 30)}个{word(rng)}{rng.choice(VERBS)}。")


def point(rng: random.Random, stock: list[str]) -> str:
    return clause(rng) + rng.choice(VERBS) + "。" + "".join(sentence(rng, stock) for _ in range(rng.randint(2, 3))) + example(rng)


ORD = "一二三四五六七八九十"


def material_lines(rng: random.Random, stock: list[str], unit: str, year: int) -> tuple[list[str], list[int]]:
    """The lines of one material and the indexes of its point lines."""
    lines = [f"{unit}领导班子{year}年度民主生活会对照检查材料", ""]
    lines.append(NOTICE + sentence(rng, stock, 0.5) + sentence(rng, stock, 0.5))
    lines.append("")
    points: list[int] = []
    lines += ["一、存在的问题", ""]
    for a, aspect in enumerate(rng.sample(ASPECTS, 4)):
        lines += [f"（{ORD[a]}）{aspect}", ""]
        for p in range(rng.randint(3, 4)):
            points.append(len(lines))
            lines += [f"{ORD[p]}是{point(rng, stock)}", ""]
    lines += ["二、原因剖析", ""]
    for a in range(4):
        lines += [f"（{ORD[a]}）{clause(rng)}", "", "".join(sentence(rng, stock) for _ in range(rng.randint(4, 7))), ""]
    lines += ["三、整改措施", ""]
    for a in range(4):
        lines += [f"（{ORD[a]}）{clause(rng)}", "", "".join(sentence(rng, stock) for _ in range(rng.randint(4, 7))), ""]
    lines += [unit, f"{year}年1月{rng.randint(5, 28)}日", ""]
    return lines, points


SENT = re.compile(r"[^。]*。")


def edit_copy(rng: random.Random, text: str, stock: list[str]) -> tuple[str, list[str]]:
    """Edit a copied point as writers do; the edits made, for the record."""
    done = []
    number = re.match(r"^[一二三四五六七八九十]是", text)
    head, body = (text[:2], text[2:]) if number else ("", text)
    # nouns swapped: 2-3 words of the pools replaced by others
    for _ in range(rng.randint(2, 3)):
        found = [m for m in re.finditer("|".join(WORDS[:80]), body)]
        if found:
            m = rng.choice(found)
            body = body[:m.start()] + rng.choice(WORDS[80:]) + body[m.end():]
    done.append("换名词")
    body = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), body)
    done.append("改数字")
    sentences = SENT.findall(body) or [body]
    choice = rng.random()
    if choice < 0.3 and len(sentences) > 3:
        sentences.pop(rng.randrange(1, len(sentences) - 1))
        done.append("删一句")
    elif choice < 0.6:
        sentences.insert(rng.randrange(1, len(sentences) + 1), sentence(rng, stock, 0))
        done.append("加一句")
    if rng.random() < 0.5:
        i = rng.randrange(len(sentences))
        clauses = sentences[i].rstrip("。").split("，")
        if len(clauses) > 1:
            rng.shuffle(clauses)
            sentences[i] = "，".join(clauses) + "。"
            done.append("调语序")
    return head + "".join(sentences), done


LEVELS = ("L1", "L2", "L3", "L4")
VARIANTS = Path(__file__).resolve().parent.parent / "gongwen" / "data" / "similar_variants.txt"


def sentences_of(text: str) -> tuple[str, list[str]]:
    """(the typed number, e.g. 一是, or ""), the sentences."""
    number = re.match(r"^[一二三四五六七八九十]是", text)
    head, body = (text[:2], text[2:]) if number else ("", text)
    return head, SENT.findall(body) or [body]


def renumber(text: str) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group()) + 1), text)


def trimmed(rng: random.Random, text: str) -> str:
    head, sents = sentences_of(text)
    keep = max(2, (len(sents) * 3 + 4) // 5)
    return head + renumber("".join(sents[:keep]))


def merged(text_a: str, text_b: str) -> str:
    head, a = sentences_of(text_a)
    _, b = sentences_of(text_b)
    return head + "".join(a[:max(1, (len(a) + 1) // 2)]) + "".join(b[1:max(2, (len(b) + 1) // 2 + 1)])


def split(text: str) -> tuple[str, str]:
    head, sents = sentences_of(text)
    cut = max(1, len(sents) // 2)
    return head + "".join(sents[:cut]), "二是" + "".join(sents[cut:])


def field_swapped(rng: random.Random, text: str) -> str:
    """Three of its pool words replaced everywhere by words of another field, the last sentence cut."""
    head, sents = sentences_of(text)
    body = "".join(sents[:-1] if len(sents) > 2 else sents)
    present = sorted({w for w in WORDS if w in body})
    for word in rng.sample(present, min(3, len(present))):
        body = body.replace(word, rng.choice([w for w in WORDS if w not in body]))
    return head + body


@functools.lru_cache(maxsize=1)
def variant_groups() -> tuple[re.Pattern, dict[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for line in VARIANTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words = line.split()
            for w in words:
                groups.setdefault(w, words)
    return re.compile("|".join(re.escape(w) for w in sorted(groups, key=len, reverse=True))), groups


def paraphrased(rng: random.Random, text: str) -> str:
    """Another wording for every variant of the table, clauses reordered in every sentence."""
    pattern, groups = variant_groups()
    head, sents = sentences_of(text)
    out = []
    for sent in sents:
        sent = pattern.sub(lambda m: rng.choice([w for w in groups[m.group()] if w != m.group()] or [m.group()]), sent)
        clauses = sent.rstrip("。").split("，")
        rng.shuffle(clauses)
        out.append("，".join(clauses) + "。")
    return head + renumber("".join(out))


def generate(n: int, out: Path, *, seed: int = 0, copy_rate: float = 0.2, templates: int = 5) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    (out / "materials").mkdir(exist_ok=True)
    (out / "references").mkdir(exist_ok=True)
    stock = stock_phrases()
    docs: dict[str, tuple[list[str], list[int]]] = {}
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        name = f"materials/{i:05d}.txt"
        docs[name] = material_lines(rng, stock, rng.choice(UNITS), rng.choice([2023, 2024, 2025]))
    for t in range(templates):  # web templates: materials nobody in the corpus wrote
        rng = random.Random(f"{seed}:template:{t}")
        docs[f"references/模板{t + 1}.txt"] = material_lines(rng, stock, "XX单位", 2024)
    rng = random.Random(f"{seed}:copies")
    names = [k for k in docs if k.startswith("materials/")]
    # Targets first, then sources among the points no copy overwrites, so every label holds.
    targets = {name: rng.sample(docs[name][1], rng.randint(1, 3)) for name in names if rng.random() < copy_rate}
    taken = {(name, line) for name, lines in targets.items() for line in lines}
    labels = []

    def source_point(name: str) -> tuple[str, int] | None:
        source = rng.choice([k for k in docs if k != name])
        free = [x for x in docs[source][1] if (source, x) not in taken]
        return (source, rng.choice(free)) if free else None

    def label(name, target, source, s_line, level, edits) -> None:
        labels.append({"copy": name, "copy_line": target + 1, "source": source, "source_line": s_line + 1,
                       "level": level, "edits": edits})

    for name, lines_to_fill in targets.items():
        lines = docs[name][0]
        for target in lines_to_fill:
            level = rng.choice(LEVELS)
            got = source_point(name)
            if got is None:
                continue
            source, s_line = got
            text = docs[source][0][s_line]
            if level == "L1":
                new, edits = edit_copy(rng, text, stock)
            elif level == "L3":
                new, edits = field_swapped(rng, text), ["换领域词", "删末句"]
            elif level == "L4":
                new, edits = paraphrased(rng, text), ["洗稿"]
            else:
                how = rng.choice(["删节", "合并", "拆分"])
                edits = [how]
                if how == "删节":
                    new = trimmed(rng, text)
                elif how == "合并":
                    other = source_point(name)
                    if other is None:
                        continue
                    new = merged(text, docs[other[0]][0][other[1]])
                    label(name, target, other[0], other[1], level, edits)
                else:
                    spare = [x for x in docs[name][1] if (name, x) not in taken]
                    if not spare:
                        continue
                    second = rng.choice(spare)
                    taken.add((name, second))
                    first_half, second_half = split(text)
                    lines[second] = lines[second][:2] + second_half[2:]
                    label(name, second, source, s_line, level, edits)
                    new = first_half
            lines[target] = lines[target][:2] + new[2:]
            label(name, target, source, s_line, level, edits)
    total = 0
    for name, (lines, _) in docs.items():
        data = "\n".join(lines)
        total += len(data.encode("utf-8"))
        (out / name).write_text(data, encoding="utf-8")
    info = {"n": n, "seed": seed, "copy_rate": copy_rate, "bytes": total, "labels": labels}
    (out / "labels.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return info


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.similar_corpus")
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--copy-rate", type=float, default=0.2)
    args = ap.parse_args()
    info = generate(args.n, args.out, seed=args.seed, copy_rate=args.copy_rate)
    print(f"{args.n} 份材料，{info['bytes'] / 1e6:.1f} MB，注入雷同 {len(info['labels'])} 处：{args.out}")


if __name__ == "__main__":
    main()
