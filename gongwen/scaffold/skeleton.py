"""`gongwen new TYPE DIR`: a material folder with every required section of the type, the
year's 方面 under 存在的问题, and a 整改清单 table header when the type has one. Headings
only: what to write under them is the writer's; the checks then say what is still missing."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from ..diagnostics import input_error
from ..files import replace_folder
from ..ledger.conventions import MEANING_ZH
from ..schema import Schema, SectionSpec

# The header the README teaches (序号 kept for printing; every other column is one the rules read).
LEDGER_COLUMNS = ("序号", MEANING_ZH["problem"], MEANING_ZH["measure"], MEANING_ZH["leader"],
                  MEANING_ZH["person"], MEANING_ZH["deadline"], MEANING_ZH["status"])
NO_UNIT = "XX单位"  # a placeholder the checks point out until the writer fills it in


def _wanted(spec: SectionSpec) -> bool:
    return not spec.optional or spec.ledger


def _year(schema: Schema, today: datetime.date) -> int:
    year = schema.detect.get("year")
    return int(year) if year else today.year


def _section_text(spec: SectionSpec, schema: Schema) -> str:
    out = [f"# {spec.name}", ""]
    if spec.holds_aspects:
        for aspect in schema.aspects:
            out += [f"## {aspect}", ""]
    if spec.ledger:
        out += ["| " + " | ".join(LEDGER_COLUMNS) + " |", "| " + " | ".join("---" for _ in LEDGER_COLUMNS) + " |", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def skeleton_files(schema: Schema, unit: str | None, today: datetime.date) -> dict[str, str]:
    """File name -> text, in reading order (index.md, then 01-…, 02-…)."""
    unit = (unit or "").strip() or NO_UNIT
    front = {"type": schema.id, "year": _year(schema, today), "unit": unit, "密级": "内部", "状态": "草稿",
             "date": today}  # a date, written unquoted as writers do (2025-01-05)
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    files = {"index.md": f"---\n{head}---\n\n# {unit}{schema.name}\n"}
    specs = [s for s in schema.sections if _wanted(s)]
    for n, spec in enumerate(specs, 1):
        files[f"{n:02d}-{spec.name}.md"] = _section_text(spec, schema)
    return files


def write_skeleton(schema: Schema, folder: Path, unit: str | None, today: datetime.date) -> list[Path]:
    """Write the skeleton into a new folder (or an empty one): built beside it and moved in
    at once, so a failure leaves no half-written material. Refuses to touch a folder with files."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise input_error(folder, "目标已存在且不是空文件夹，没有写入任何文件", "换一个新的文件夹名，或先移走其中的文件",
                          rule="input.write")
    files = skeleton_files(schema, unit, today)

    def fill(tmp: Path) -> None:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")

    replace_folder(folder, fill)  # an existing folder is empty (checked above)
    return [folder / name for name in files]
