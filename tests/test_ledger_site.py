"""The ledger on the real site (built in tmp_path): a 整改台账 page per material with a
ledger, with its .xlsx; the 整改进度 overview in the home navigation; overdue rows marked."""

from __future__ import annotations

import datetime
import re
from urllib.parse import unquote, urljoin

import openpyxl
import pytest

from .conftest import build_site, copy_project
from .test_site import text_of

SAMPLE = "示例-2024-青禾镇党委"
SEED = "2023-zhuti-jiaoyu-banzi"


def _rows(page: str) -> list[tuple[str, list[str]]]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return [(attrs, [text_of(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)])
            for attrs, row in re.findall(r"<tr([^>]*)>(.*?)</tr>", body, re.S)]


def test_sample_material_ledger_page_and_download(built_site):
    page_path = built_site / "整改台账" / SAMPLE / "index.html"
    page = page_path.read_text(encoding="utf-8")
    assert f"统计日期：{datetime.date.today().isoformat()}" in text_of(page)
    rows = _rows(page)
    assert len(rows) == 10
    assert rows[0][1][:2] == ["（一）一是：学习贯彻党的创新理论还有差距",
                              "围绕党的二十届三中全会精神开展理论学习中心组专题学习不少于10次，每次学习后形成结合本镇实际的落实清单"]
    assert rows[1][1][5] == "已完成（已整改到位）"
    assert not any("data-overdue" in attrs for attrs, _ in rows)  # the sample's measures are all done or standing
    href = re.search(r'class="gongwen-ledger-xlsx" href="([^"]+)"', page).group(1)
    xlsx = built_site / unquote(urljoin(page_path.relative_to(built_site).as_posix(), href))
    ws = openpyxl.load_workbook(xlsx).active
    assert ws.max_row == 11 and ws["D2"].value.startswith("围绕党的二十届三中全会精神")
    # The material's title page links to it; the ledger section page still shows the table as written.
    index = (built_site / SAMPLE / "index.html").read_text(encoding="utf-8")
    assert 'class="gongwen-ledger-link"' in index
    section = (built_site / SAMPLE / "06-整改清单" / "index.html").read_text(encoding="utf-8")
    assert "六、整改清单" in text_of(section)
    assert "<td>（四）二是：对村级“小微权力”监督不到位</td>" in section and "<th>完成时限</th>" in section


def test_overview_in_home_navigation(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    assert 'href="%E6%95%B4%E6%94%B9%E8%BF%9B%E5%BA%A6/"' in nav  # 整改进度/
    overview = (built_site / "整改进度" / "index.html").read_text(encoding="utf-8")
    rows = {cells[0]: cells for _, cells in _rows(overview)}
    sample = rows["青禾镇党委领导班子2024年度民主生活会对照检查材料（示例）"]
    assert sample[2:] == ["8", "10", "8", "0", "0", "0"]
    seed = rows["2023年第二批主题教育专题民主生活会领导班子对照检查材料"]
    assert seed[3] == "无清单"
    assert (built_site / "整改进度" / "整改台账汇总.xlsx").is_file()
    # Ledger pages stay out of the navigation (it would grow with every material).
    assert "整改台账/" not in unquote(nav)
    assert not (built_site / "整改台账" / SEED).exists()


def test_overdue_rows_marked_and_build_stays_strict(tmp_path):
    project = copy_project(tmp_path)
    ledger = project / "docs" / SAMPLE / "06-整改清单.md"
    text = ledger.read_text(encoding="utf-8").replace("| 2025年6月底前 | 已整改到位 |", "| 2025年6月底前 | 正在整改 |")
    ledger.write_text(text, encoding="utf-8")
    site = build_site(project)  # strict: an overdue measure is a fact of progress, not a build error
    rows = _rows((site / "整改台账" / SAMPLE / "index.html").read_text(encoding="utf-8"))
    late = [cells for attrs, cells in rows if "data-overdue" in attrs]
    assert late == [["（一）一是：学习贯彻党的创新理论还有差距", "制定茶叶产业提档升级工作方案并组织实施", "镇长",
                     "农业服务中心主任周某", "2025年6月底前", "推进中（正在整改）", "逾期"]]
    overview = _rows((site / "整改进度" / "index.html").read_text(encoding="utf-8"))
    first_attrs, first = overview[0]
    assert "data-overdue" in first_attrs and first[6] == "1"
    ws = openpyxl.load_workbook(site / "整改台账" / SAMPLE / f"{SAMPLE}-整改台账.xlsx").active
    assert ws["I3"].value == "逾期"


def test_publish_leaves_drafts_out_of_the_overview(tmp_path):
    project = copy_project(tmp_path)
    site = build_site(project, env={"GONGWEN_PUBLISH": "1"})
    overview = (site / "整改进度" / "index.html").read_text(encoding="utf-8")
    assert "2023年第二批主题教育" not in overview and "青禾镇党委领导班子" in overview



@pytest.mark.browser
def test_overdue_row_stands_out_and_xlsx_downloads(tmp_path, serve_dir, browser):
    project = copy_project(tmp_path)
    ledger = project / "docs" / SAMPLE / "06-整改清单.md"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("| 2025年6月底前 | 已整改到位 |", "| 2025年6月底前 | 正在整改 |"),
                      encoding="utf-8")
    site = build_site(project)
    base = serve_dir(site)
    page = browser.new_page(accept_downloads=True)
    page.goto(base, wait_until="networkidle")
    page.locator('nav.md-nav--primary a[href*="%E6%95%B4%E6%94%B9%E8%BF%9B%E5%BA%A6"]').first.click()  # 整改进度
    page.wait_for_load_state("networkidle")
    page.locator("article table a").first.click()  # the material with an overdue measure comes first
    page.wait_for_load_state("networkidle")
    late = page.locator("tr[data-overdue] td").first
    normal = page.locator("tbody tr:not([data-overdue]) td").first
    assert late.evaluate("e => getComputedStyle(e).backgroundColor") != \
        normal.evaluate("e => getComputedStyle(e).backgroundColor")
    with page.expect_download() as info:
        page.locator("a.gongwen-ledger-xlsx").click()
    download = info.value
    assert download.suggested_filename.endswith("-整改台账.xlsx")
    path = tmp_path / "下载.xlsx"
    download.save_as(path)
    ws = openpyxl.load_workbook(path).active
    assert ws["I3"].value == "逾期" and ws.max_row == 11
    page.close()


def test_overview_after_a_warm_start_follows_edits(tmp_path):
    # The overview's rows are kept in .cache/ledger/ between builds: an edited ledger, and an
    # edited material without one, show their new counts on the next (warm) build.
    project = copy_project(tmp_path)
    site = build_site(project)
    assert (project / ".cache" / "ledger" / "ledger-summaries.pickle").is_file()
    before = {cells[0]: cells for _, cells in _rows((site / "整改进度" / "index.html").read_text(encoding="utf-8"))}
    sample_title = "青禾镇党委领导班子2024年度民主生活会对照检查材料（示例）"
    seed_title = "2023年第二批主题教育专题民主生活会领导班子对照检查材料"
    assert before[sample_title][6] == "0"
    ledger = project / "docs" / SAMPLE / "06-整改清单.md"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("| 2025年6月底前 | 已整改到位 |", "| 2025年6月底前 | 正在整改 |"),
                      encoding="utf-8")
    problems = project / "docs" / SEED / "01-存在的问题.md"
    text = problems.read_text(encoding="utf-8")
    problems.write_text(text[:text.index("## 在廉洁自律方面")], encoding="utf-8")
    site = build_site(project, strict=False)  # the aspect left out is an error of the material
    after = {cells[0]: cells for _, cells in _rows((site / "整改进度" / "index.html").read_text(encoding="utf-8"))}
    assert after[sample_title][6] == "1"
    assert int(after[seed_title][2]) < int(before[seed_title][2])
    assert after[seed_title][3] == "无清单"


def test_kept_summaries_are_used_only_for_the_same_files_and_code(tmp_path, monkeypatch):
    from gongwen.site import catalogue as catalogue_module
    from gongwen.site import ledger as ledger_module
    from gongwen.site.catalogue import Catalogue
    from gongwen.site.ledger import LedgerSummaries

    project = copy_project(tmp_path)
    docs, cache = project / "docs", project / ".cache"
    today = datetime.date(2026, 1, 5)

    def summaries(day):
        cat = Catalogue(docs, cache_dir=cache / "catalogue")
        cat.scan()
        kept = LedgerSummaries(docs, cache / "ledger")
        out = {e.rel: kept.get(e, day)[1] for e in cat.entries.values() if e.material is not None}
        kept.save()
        return out

    first = summaries(today)
    assert not first[SEED].has_ledger and first[SAMPLE].has_ledger
    worked_out = []
    real = ledger_module.summarise
    monkeypatch.setattr(ledger_module, "summarise", lambda *a: worked_out.append(a[0].path) or real(*a))
    assert summaries(today) == first and worked_out == []  # all taken from the disk
    # A new day: only what is overdue changes, and only materials with a ledger (never kept) have any
    assert summaries(today + datetime.timedelta(days=1)) == first and worked_out == []
    worked_out.clear()
    monkeypatch.setattr(catalogue_module, "_CODE", "another-version")
    summaries(today)
    assert len(worked_out) == 1  # changed code
    worked_out.clear()
    problems = docs / SEED / "01-存在的问题.md"
    text = problems.read_text(encoding="utf-8")
    problems.write_text(text[:text.index("## 在廉洁自律方面")], encoding="utf-8")
    edited = summaries(today)
    assert len(worked_out) == 1 and edited[SEED].problems < first[SEED].problems


def test_a_new_day_reads_again_only_the_materials_with_a_ledger(tmp_path, monkeypatch):
    # The catalogue's disk cache has no date in its key: the first preview of a day re-reads
    # (and re-checks for ledger.overdue) the materials with a 整改清单, not every material.
    import types

    from gongwen.site import catalogue as catalogue_module
    from gongwen.site.catalogue import Catalogue

    project = copy_project(tmp_path)
    docs, cache = project / "docs", project / ".cache" / "catalogue"
    Catalogue(docs, cache_dir=cache).scan()
    read = []
    real = Catalogue._read
    monkeypatch.setattr(Catalogue, "_read", lambda self, folder, *a: read.append(folder.name) or real(self, folder, *a))
    Catalogue(docs, cache_dir=cache).scan()
    assert read == []  # the same day: everything from the cache
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(catalogue_module, "datetime", types.SimpleNamespace(
        date=types.SimpleNamespace(today=lambda: tomorrow)))
    cat = Catalogue(docs, cache_dir=cache)
    cat.scan()
    assert read == [SAMPLE]  # the sample material has a 整改清单; the seed material has none
    assert {e.rel for e in cat.entries.values() if e.material is not None} >= {SAMPLE, SEED}
