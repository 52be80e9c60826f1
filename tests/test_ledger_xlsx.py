"""Excel exchange of ledgers: `gongwen ledger --to xlsx` read back by LibreOffice Calc,
`gongwen ledger import` of a workbook as offices make them, and the exact round trip."""

from __future__ import annotations

import csv
import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from .conftest import REPO
from .office import SOFFICE

SAMPLE = REPO / "docs" / "示例-2024-青禾镇党委"
TITLE = "青禾镇党委领导班子2024年度民主生活会对照检查材料（示例）"
UNIT = "青禾镇党委（虚构示例）"


def gongwen(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gongwen.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


def soffice_csv(xlsx: Path, tmp: Path) -> list[list[str]]:
    """The sheet as LibreOffice Calc shows it (cells as displayed), via CSV."""
    out = tmp / "csv"
    cmd = [SOFFICE, f"-env:UserInstallation={(tmp / 'profile').resolve().as_uri()}", "--headless", "--norestore",
           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out), str(xlsx)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    target = out / (xlsx.stem + ".csv")
    assert proc.returncode == 0 and target.is_file(), proc.stdout + proc.stderr
    with target.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsx") / "台账.xlsx"
    proc = gongwen("ledger", SAMPLE, "--to", "xlsx", "-o", out, "--today", "2025-05-01")
    assert proc.returncode == 0, proc.stderr
    assert "1 份材料，10 项整改措施" in proc.stderr
    return out


@pytest.mark.slow
def test_libreoffice_reads_the_rows_as_written(exported, tmp_path):
    rows = soffice_csv(exported, tmp_path)
    assert rows[0] == ["单位", "材料", "问题", "整改措施", "责任领导", "责任人", "完成时限", "状态", "逾期"]
    assert len(rows) == 11
    assert rows[1] == [UNIT, TITLE, "（一）一是：学习贯彻党的创新理论还有差距",
                       "围绕党的二十届三中全会精神开展理论学习中心组专题学习不少于10次，每次学习后形成结合本镇实际的落实清单",
                       "党委书记", "党政办主任陈某", "2025年12月31日", "已完成", ""]
    # Real dates shown as written: a month end stays 月底前; standing forms stay words.
    assert [r[6] for r in rows[1:]] == ["2025年12月31日", "2025年6月底前", "2025年3月底前", "2025年3月底前", "2025年2月底前",
                                        "2025年6月30日", "2025年4月底前", "长期坚持", "2025年3月底前", "长期坚持"]
    assert {r[7] for r in rows[1:]} == {"已完成", "长期坚持"}


def test_workbook_is_a_real_ledger_sheet(exported):
    wb = openpyxl.load_workbook(exported)
    ws = wb.active
    assert ws.title == "整改台账"
    assert ws.freeze_panes == "A2"
    assert ws.print_title_rows == "$1:$1"
    assert ws.column_dimensions["D"].width >= 40  # 整改措施 is wide enough for Chinese text
    deadline = ws["G2"]
    assert deadline.is_date and deadline.value.date() == datetime.date(2025, 12, 31)
    assert ws["G3"].is_date and "月底前" in ws["G3"].number_format
    assert ws["G9"].value == "长期坚持"
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"未开始,推进中,已完成,长期坚持"' and "H2" in str(dv.sqref)
    # 已整改到位 is 已完成 in the drop-down; the word as written stays in a comment.
    assert ws["H3"].value == "已完成" and "已整改到位" in ws["H3"].comment.text
    assert ws["C2"].alignment.wrap_text and ws["D2"].alignment.wrap_text


def test_overdue_column_follows_today(tmp_path):
    folder = tmp_path / "m"
    shutil.copytree(SAMPLE, folder)
    ledger = folder / "06-整改清单.md"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("| 2025年6月底前 | 已整改到位 |", "| 2025年6月底前 | 正在整改 |"),
                      encoding="utf-8")
    for today, expected in (("2025-06-30", None), ("2025-07-01", "逾期")):
        out = tmp_path / f"{today}.xlsx"
        assert gongwen("ledger", folder, "--to", "xlsx", "-o", out, "--today", today).returncode == 0
        ws = openpyxl.load_workbook(out).active
        assert ws["I3"].value == expected and ws["H3"].value == "推进中"


def office_workbook(path: Path) -> Path:
    """A ledger as an office makes it in Excel/WPS: title and 填报单位 rows above the header,
    the problem merged over its measure rows, dates as dates and as text, a note below."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "青禾镇党委2024年度民主生活会查摆问题整改清单"
    ws.merge_cells("A1:G1")
    ws["A2"] = "填报单位：青禾镇党委（盖章）"
    ws.merge_cells("A2:G2")
    ws.append(["序号", "存在问题", "整改措施", "责任领导", "责任单位（人）", "整改时限", "整改进展"])
    ws.append([1, "（一）一是", "开展专题学习不少于10次", "党委书记", "党政办主任陈某", datetime.datetime(2025, 12, 31), "已完成"])
    ws.append([2, None, "制定茶叶产业提档升级方案", "镇长", "农业服务中心主任周某", "2025年6月底前", "正在整改"])
    ws.append([3, "执行民主集中制不够严格规范", "会议材料提前3天送达", "党委书记", "党政办主任陈某",
               datetime.datetime(2025, 3, 31), "已整改销号"])
    ws.append([4, None, "修订议事规则", "党委书记", "党政办主任陈某", "长期坚持", "长期坚持"])
    ws.merge_cells("B4:B5")
    ws.merge_cells("B6:B7")
    ws["F4"].number_format = 'yyyy"年"m"月"d"日"'
    ws["F6"].number_format = "yyyy-mm-dd"
    ws["H6"] = "见附件2"  # a column without a header
    ws["A9"] = "填表人：张某　　联系电话：1234567"
    wb.save(path)
    return path


def test_import_an_office_workbook(tmp_path):
    src = office_workbook(tmp_path / "清单.xlsx")
    out = tmp_path / "06-整改清单.md"
    proc = gongwen("ledger", "import", src, "-o", out)
    assert proc.returncode == 1, proc.stderr  # written, but two cells could not be placed
    assert "H6" in proc.stderr and "见附件2" in proc.stderr
    assert "A9" in proc.stderr and "填表人" in proc.stderr
    assert "标题“青禾镇党委2024年度民主生活会查摆问题整改清单”" in proc.stderr
    assert "青禾镇党委（盖章）" in proc.stderr
    assert out.read_text(encoding="utf-8") == (
        "# 整改清单\n\n"
        "| 序号 | 存在问题 | 整改措施 | 责任领导 | 责任单位（人） | 整改时限 | 整改进展 |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        "| 1 | （一）一是 | 开展专题学习不少于10次 | 党委书记 | 党政办主任陈某 | 2025年12月31日 | 已完成 |\n"
        "| 2 | （一）一是 | 制定茶叶产业提档升级方案 | 镇长 | 农业服务中心主任周某 | 2025年6月底前 | 正在整改 |\n"
        "| 3 | 执行民主集中制不够严格规范 | 会议材料提前3天送达 | 党委书记 | 党政办主任陈某 | 2025年3月31日 | 已整改销号 |\n"
        "| 4 | 执行民主集中制不够严格规范 | 修订议事规则 | 党委书记 | 党政办主任陈某 | 长期坚持 | 长期坚持 |\n")
    # The imported table is a ledger the checker reads: in the sample material it names real problems.
    folder = tmp_path / "m"
    shutil.copytree(SAMPLE, folder)
    shutil.copy(out, folder / "06-整改清单.md")
    proc = gongwen("check", folder, "--today", "2025-05-01", "--format", "json")
    import json

    rules = {d["rule"] for d in json.loads(proc.stdout)}
    assert "ledger.unknown-problem" not in rules and "ledger.deadline" not in rules
    assert "ledger.unmatched" in rules  # only 2 of 8 problems are in this short ledger


def test_import_refuses_to_overwrite_and_reports_bad_files(tmp_path):
    src = office_workbook(tmp_path / "清单.xlsx")
    out = tmp_path / "清单.md"
    out.write_text("原有内容\n", encoding="utf-8")
    proc = gongwen("ledger", "import", src, "-o", out)
    assert proc.returncode == 2 and "--force" in proc.stderr and out.read_text(encoding="utf-8") == "原有内容\n"
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    proc = gongwen("ledger", "import", broken, "-o", tmp_path / "x.md")
    assert proc.returncode == 2 and "无法读取 Excel 文件" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.md").exists()
    old = tmp_path / "旧.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    proc = gongwen("ledger", "import", old, "-o", tmp_path / "y.md")
    assert proc.returncode == 2 and ".xlsx" in proc.stderr
    empty = tmp_path / "空.xlsx"
    openpyxl.Workbook().save(empty)
    proc = gongwen("ledger", "import", empty, "-o", tmp_path / "z.md")
    assert proc.returncode == 2 and "表头" in proc.stderr


def test_import_stops_at_a_classified_workbook(tmp_path):
    src = office_workbook(tmp_path / "清单.xlsx")
    wb = openpyxl.load_workbook(src)
    wb.active["A1"] = "机密★1年　青禾镇党委整改清单"
    wb.save(src)
    proc = gongwen("ledger", "import", src, "-o", tmp_path / "x.md")
    assert proc.returncode == 2 and "security.classified" in proc.stderr and not (tmp_path / "x.md").exists()


def test_export_refuses_classified_material_and_bad_arguments(tmp_path):
    folder = tmp_path / "m"
    shutil.copytree(SAMPLE, folder)
    index = folder / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("密级: 内部", "密级: 机密"), encoding="utf-8")
    out = tmp_path / "x.xlsx"
    proc = gongwen("ledger", folder, "--to", "xlsx", "-o", out)
    assert proc.returncode == 2 and "security.classified" in proc.stderr and not out.exists()
    proc = gongwen("ledger", SAMPLE, "-o", out)
    assert proc.returncode == 2 and "--to xlsx" in proc.stderr
    proc = gongwen("ledger", SAMPLE, "--to", "xlsx", "-o", tmp_path / "x.csv")
    assert proc.returncode == 2 and ".xlsx" in proc.stderr


def _sheet(path: Path):
    ws = openpyxl.load_workbook(path).active
    return [[(c.value, c.number_format if c.is_date else None) for c in row] for row in ws.iter_rows()]


def test_export_import_export_gives_the_same_rows(tmp_path, exported):
    md = tmp_path / "06-整改清单.md"
    proc = gongwen("ledger", "import", exported, "-o", md)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "m"
    shutil.copytree(SAMPLE, folder)
    shutil.copy(md, folder / "06-整改清单.md")
    again = tmp_path / "again.xlsx"
    assert gongwen("ledger", folder, "--to", "xlsx", "-o", again, "--today", "2025-05-01").returncode == 0
    assert _sheet(again) == _sheet(exported)
    # And the imported ledger passes the checks as the original does.
    assert gongwen("check", folder).returncode == 0
