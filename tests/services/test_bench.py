"""`python -m portal bench` (#17) on a small database: it builds the data, times every call beside
its floor and writes the JSON the README's table comes from. Figures are not asserted (speed is
measured, never tested); what is asserted is that every call ran and was paired as documented."""

import json
import os
import sqlite3

import pytest

from portal import bench, cli


def test_bench_builds_a_database_and_reports_every_call_beside_its_floor(tmp_path, capsys):
    before = os.environ.get("DATABASE_URL")
    out = tmp_path / "bench.json"
    code = cli.main(["bench", "--reports", "2000", "--units", "25", "--repeat", "1",
                     "--accounts", "300", "--escalate-items", "150", "--intake-seconds", "2",
                     "--intake-threads", "2", "--notify-messages", "40", "--explain",
                     "--database-url", f"sqlite:///{tmp_path / 'bench.sqlite3'}",
                     "--json", str(out)])
    assert code == 0
    result = json.loads(out.read_text())
    assert (result["reports"], result["units"], result["database"]) == (2000, 25, "sqlite")
    names = [r["name"] for r in result["results"]]
    assert names[:6] == ["office queue, first page", "office queue, page 500",
                         "unit queue, first page", "status counts", "red/yellow card counts",
                         "login, 1 of 352 accounts"]  # 300 companies, 2 per unit, 2 offices
    assert names[-5:-1] == ["quota table, year", "自查不实, year",
                            "self-check completion, latest quarter", "notification bell"]
    paired = [r for r in result["results"] if r["floor_ms"] is not None]
    assert len(paired) == 12 and all(r["ratio"] is not None for r in paired)
    assert all(r["plan"] and r["floor_plan"] for r in paired)  # --explain: both plans
    assert all(r["service_ms"] >= 0 for r in result["results"])
    # the morning escalation runs over exactly the overdue items asked for
    assert result["escalate"]["overdue"] == result["escalate"]["issued"] == 150
    assert "escalate --dry-run, 150 overdue" in names
    assert [page["name"] for page in result["renders"]] == [name for name, *_ in bench.RENDERED]
    assert all(page["cold_ms"] > 0 and page["peak_mb"] > 0 for page in result["renders"])
    assert result["notify"]["sent"] == 40
    with sqlite3.connect(tmp_path / "bench.sqlite3") as kept:  # and deleted again
        assert kept.execute("SELECT COUNT(*) FROM notification_outbox").fetchone() == (0,)
    intake = result["intake"]
    assert intake["service_per_second"] > 0 and intake["floor_per_second"] > 0
    assert (intake["refused"], intake["duplicates"], intake["lost"]) == (0, 0, 0)
    assert intake["reads_per_second_idle"] > 0
    assert os.environ.get("DATABASE_URL") == before  # the page renders gave the setting back
    printed = capsys.readouterr().out
    assert "2,000 reports, 25 units" in printed and "office queue, first page" in printed
    assert "SEARCH" in printed  # SQLite's plans


def test_bench_refuses_a_count_that_is_not_positive(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["bench", "--reports", "0"])
    assert exit_.value.code == 2
    assert "须为正整数" in capsys.readouterr().err
