"""One row of the 审核汇总 per INBOX file, and the conclusion rules that fill its 结论."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from ..diagnostics import Diagnostic

# Rule-id prefix -> group of the table. numbering and meta are about the document's build.
GROUPS = {"structure": "结构", "numbering": "结构", "meta": "结构", "content": "内容", "typography": "排版",
          "security": "保密", "ledger": "台账"}
GROUP_ORDER = ["结构", "内容", "排版", "保密", "台账"]
NOT_CHECKED = "未检测"
MISSING_ASPECT = re.compile(r"^缺少方面“([^”]+)”")
NO_ASPECTS = re.compile(r"下没有按方面分列（应分为 (\d+) 个方面）")
MISSING_SECTION = re.compile(r"^缺少一级标题“([^”]+)”")

# (key in Row, xlsx header, column width)
COLUMNS = [
    ("file", "文件", 28), ("unit", "单位", 18), ("type", "材料类型", 30), ("stage", "稿次", 10),
    ("conclusion", "结论", 10), ("reason", "结论依据", 26),
    *[(f"{g}:{s}", f"{g}{'错误' if s == 'error' else '警告'}", 8) for g in GROUP_ORDER for s in ("error", "warning")],
    ("missing_aspects_text", "缺少的方面", 30), ("placeholders", "占位符", 8),
    ("copied_text", "雷同比例", 10), ("copied_from", "雷同来源", 24), ("paraphrase_text", "疑似洗稿", 24),
    ("repeated_text", "与上年重复", 24), ("ledger_text", "台账完整性", 36),
    ("folder", "材料文件夹", 24), ("note", "说明", 40),
]
# Columns holding names and words from what units sent: always written as text, never a formula.
TEXT_KEYS = ("copied_from", "paraphrase_text", "repeated_text", "ledger_text")


@dataclass
class Row:
    file: str  # relative to INBOX, POSIX
    folder: str = ""  # under OUT/docs; "" when no material was made
    page: str = ""  # its 审核意见 page's name, unique in the batch (a folder name even when no material was made)
    unit: str = ""
    title: str = ""
    type: str = ""
    type_known: bool = False
    stage: str = ""
    status: str = "checked"  # checked | unreadable | classified
    counts: dict[str, int] = field(default_factory=dict)  # "结构:error" -> n
    errors: int = 0
    warnings: int = 0
    missing_aspects: list[str] = field(default_factory=list)
    missing_sections: list[str] = field(default_factory=list)
    placeholders: int = 0
    copied_share: float | None = None  # None: not checked
    copied_from: str = NOT_CHECKED
    paraphrase_text: str = NOT_CHECKED  # 洗稿: points rewritten from another source (not in 雷同比例)
    repeated_text: str = NOT_CHECKED  # problem points repeated from last year's material
    ledger_text: str = NOT_CHECKED
    conclusion: str = ""
    reason: str = ""
    note: str = ""
    findings: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def missing_aspects_text(self) -> str:
        return "、".join(self.missing_aspects)

    @property
    def copied_text(self) -> str:
        if self.copied_share is None:
            return NOT_CHECKED if self.status == "checked" else ""
        return f"{self.copied_share:.0%}"

    def cell(self, key: str):
        if ":" in key:
            return self.counts.get(key, 0) if self.status == "checked" else None
        if key == "placeholders" and self.status != "checked":
            return None
        if key in TEXT_KEYS and self.status != "checked":
            return ""
        return getattr(self, key)


def finding(d: Diagnostic) -> dict:
    where = getattr(d, "where", "") or f"第{d.line}行"
    return {"where": where, "line": d.line, "column": d.column, "page": getattr(d, "page", 0), "rule": d.rule,
            "severity": d.severity, "message": d.message, "hint": d.hint}


def fill_from_diagnostics(row: Row, diags: list[Diagnostic]) -> None:
    counts: dict[str, int] = {f"{g}:{s}": 0 for g in GROUP_ORDER for s in ("error", "warning")}
    for d in diags:
        if d.severity not in ("error", "warning"):
            continue
        group = GROUPS.get(d.rule.split(".", 1)[0])
        if group:
            counts[f"{group}:{d.severity}"] += 1
        if d.severity == "error":
            row.errors += 1
        else:
            row.warnings += 1
    for d in diags:
        if d.rule.startswith("structure.aspect"):
            if m := MISSING_ASPECT.match(d.message):
                row.missing_aspects.append(m.group(1))
            elif m := NO_ASPECTS.search(d.message):
                row.missing_aspects.append(f"全部 {m.group(1)} 个方面")
        if d.rule.startswith("structure.section") and (m := MISSING_SECTION.match(d.message)):
            row.missing_sections.append(m.group(1))
        if d.rule.startswith("content.placeholder") and d.severity != "info":
            row.placeholders += 1
    row.counts = counts
    row.findings = [finding(d) for d in diags]


def _missing_aspect_count(row: Row) -> int:
    n = 0
    for a in row.missing_aspects:
        m = re.match(r"全部 (\d+) 个方面", a)
        n += int(m.group(1)) if m else 1
    return n


CONDITIONS = {"errors", "warnings", "missing_sections", "missing_aspects", "placeholders", "copied_share",
              "type_unknown"}


def load_rules(path: str | Path | None = None) -> dict:
    """The conclusion rules (conclusion.yaml, or a file of the same shape); a bad file is an InputError."""
    from ..diagnostics import input_error

    path = Path(path) if path else Path(__file__).with_name("conclusion.yaml")
    hint = "格式见 gongwen/review/conclusion.yaml"
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise input_error(path, f"结论规则文件无法读取：{exc}", hint, rule="input.rules") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise input_error(path, "结论规则文件应为包含 rules 列表的 YAML 映射", hint, rule="input.rules")
    for i, r in enumerate(data.get("rules", []), 1):
        if not isinstance(r, dict) or "结论" not in r:
            raise input_error(path, f"第 {i} 条规则没有“结论”", hint, rule="input.rules")
        unknown = set(r) - CONDITIONS - {"结论", "依据"}
        if unknown:
            raise input_error(path, f"第 {i} 条规则有未知的条件：{'、'.join(sorted(unknown))}",
                              f"可用的条件：{'、'.join(sorted(CONDITIONS))}", rule="input.rules")
    return data


def conclude(row: Row, rules: dict) -> None:
    if row.status == "unreadable":
        row.conclusion, row.reason = rules.get("unreadable", "需修改"), "文件无法读取"
        return
    if row.status == "classified":
        row.conclusion, row.reason = rules.get("classified", "涉密未处理"), "涉密文件，未生成材料"
        return
    facts = {
        "errors": row.errors, "warnings": row.warnings, "missing_sections": len(row.missing_sections),
        "missing_aspects": _missing_aspect_count(row), "placeholders": row.placeholders,
        "copied_share": row.copied_share, "type_unknown": not row.type_known,
    }
    for r in rules.get("rules", []):
        conds = {k: v for k, v in r.items() if k not in ("结论", "依据")}
        if conds and all(_holds(facts.get(k), v) for k, v in conds.items()):
            row.conclusion, row.reason = r["结论"], r.get("依据", "")
            return
    row.conclusion, row.reason = rules.get("default", "通过"), ""


def _holds(fact, wanted) -> bool:
    if fact is None:  # e.g. copy detection did not run
        return False
    if isinstance(wanted, bool):
        return bool(fact) == wanted
    return fact >= wanted
