"""`python -m portal bench` (#17) on a small database: it builds the data, times every call beside
its floor and writes the JSON the README's table comes from. Figures are not asserted (speed is
measured, never tested); what is asserted is that every call ran and was paired as documented."""

import json

import pytest

from portal import cli


def test_bench_builds_a_database_and_reports_every_call_beside_its_floor(tmp_path, capsys):
    out = tmp_path / "bench.json"
    code = cli.main(["bench", "--reports", "2000", "--units", "25", "--repeat", "1",
                     "--database-url", f"sqlite:///{tmp_path / 'bench.sqlite3'}",
                     "--json", str(out)])
    assert code == 0
    result = json.loads(out.read_text())
    assert (result["reports"], result["units"], result["database"]) == (2000, 25, "sqlite")
    names = [r["name"] for r in result["results"]]
    assert names[:5] == ["office queue, first page", "office queue, page 500",
                         "unit queue, first page", "status counts", "red/yellow card counts"]
    assert "escalate --dry-run, next working day" in names
    paired = [r for r in result["results"] if r["floor_ms"] is not None]
    assert len(paired) == 7 and all(r["ratio"] is not None for r in paired)
    assert all(r["service_ms"] >= 0 for r in result["results"])
    printed = capsys.readouterr().out
    assert "2,000 reports, 25 units" in printed and "office queue, first page" in printed


def test_bench_refuses_a_count_that_is_not_positive(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["bench", "--reports", "0"])
    assert exit_.value.code == 2
    assert "须为正整数" in capsys.readouterr().err
