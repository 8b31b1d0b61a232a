"""`python -m portal stats` on a fresh demo database."""

import json

import pytest

from portal.cli import main
from portal.stats import RATES


@pytest.fixture
def demo_database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    assert main(["setup"]) == 0


def test_stats_json_has_exactly_the_issue_s_shape(demo_database, capsys):
    capsys.readouterr()
    assert main(["stats", "--from", "2026-10-01", "--to", "2026-10-31", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert list(figures) == ["from", "to", "total", "units"]
    assert (figures["from"], figures["to"]) == ("2026-10-01", "2026-10-31")
    shape = ["accepted", "rejected", "closed", *RATES, "notices"]
    assert list(figures["total"]) == shape
    assert all(list(row) == ["unit", *shape] for row in figures["units"])
    assert figures["units"][0]["unit"] == "区发改局"
    total = figures["total"]
    assert total["accepted"] > 0  # the demo history reaches back into October
    assert total["accepted"] == sum(row["accepted"] for row in figures["units"])
    assert total["closed"] == sum(row["closed"] for row in figures["units"])
    for name in RATES:
        figure = total[name]
        assert list(figure) == ["num", "den", "rate"]
        assert figure["rate"] == (round(figure["num"] / figure["den"], 4) if figure["den"] else None)
    assert total["closing_rate"] == {"num": total["closed"], "den": total["accepted"],
                                     "rate": round(total["closed"] / total["accepted"], 4)}
    assert list(total["notices"]) == ["reminder", "urging", "supervision", "transfer"]


def test_stats_for_one_unit_and_as_a_chinese_table(demo_database, capsys):
    capsys.readouterr()
    assert main(["stats", "--from", "2026-10-01", "--to", "2026-10-31", "--unit", "区发改局",
                 "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert [row["unit"] for row in figures["units"]] == ["区发改局"]
    assert main(["stats", "--from", "2026-10-01", "--to", "2026-10-31"]) == 0
    table = capsys.readouterr().out
    assert "2026年10月1日 至 2026年10月31日" in table
    assert "办结率" in table and "按时办结率" in table and "全区合计" in table
    assert "样本不足" in table


def test_stats_refuses_a_reversed_period_and_an_unknown_unit_in_chinese(demo_database, capsys):
    capsys.readouterr()
    assert main(["stats", "--from", "2026-10-31", "--to", "2026-10-01"]) == 1
    assert "结束日期不能早于开始日期" in capsys.readouterr().err
    assert main(["stats", "--from", "2026-10-01", "--to", "2026-10-31", "--unit", "区不存在局"]) == 1
    assert "没有名为“区不存在局”的在用单位" in capsys.readouterr().err


def test_bulletin_writes_the_word_and_excel_files_and_prints_their_paths(demo_database, capsys,
                                                                         tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    capsys.readouterr()
    assert main(["bulletin", "--month", "2026-10", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / "out" / "月通报2026-10.docx"),
                       str(tmp_path / "out" / "月通报2026-10.xlsx")]
    text = "\n".join(p.text for p in Document(printed[0]).paragraphs)
    assert text.startswith("关于2026年10月营商环境投诉处理情况的通报")
    assert main(["stats", "--from", "2026-10-01", "--to", "2026-10-31", "--json"]) == 0
    total = json.loads(capsys.readouterr().out)["total"]
    assert f"受理企业和群众反映问题 {total['accepted']} 件，办结 {total['closed']} 件" in text
    book = load_workbook(printed[1])
    assert book.sheetnames == ["全区", "各单位", "各方面", "红牌", "督办移交", "曝光案例", "考核评分"]
    assert book["全区"]["B2"].value == total["accepted"]
    assert main(["bulletin", "--week", "2026-W44", "--out", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.split()[0].endswith("周总结2026-W44.docx")
    assert main(["bulletin", "--month", "2026-13"]) == 1
    assert "2026-10" in capsys.readouterr().err
