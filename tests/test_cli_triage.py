"""The triage commands: classify on JSON lines, train-suggester."""

import io
import json

import pytest

from portal.cli import main


@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    assert main(["migrate"]) == 0


def test_classify_reads_json_lines_and_writes_the_top_three(database, capsys, monkeypatch):
    lines = [{"id": "a1", "text": "办事时工作人员暗示要送礼，不给好处就卡着不签字"},
             {"id": 7, "text": "路上設卡截車，亂罰款"}]
    monkeypatch.setattr("sys.stdin", io.StringIO(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n"))
    capsys.readouterr()
    assert main(["classify"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a1", 7]
    assert all(len(o["top3"]) == 3 and all(1 <= n <= 32 for n in o["top3"]) for o in out)
    assert out[0]["top3"][0] == 25 and out[1]["top3"][0] == 11


def test_classify_reports_a_bad_line_and_goes_on(database, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO('not json\n{"id": 2, "text": "乱收费"}\n'))
    capsys.readouterr()
    assert main(["classify"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["id"] == 2
    assert "第 1 行无法分类" in captured.err


def test_train_suggester_stores_a_model(database, capsys):
    assert main(["train-suggester"]) == 0
    assert "第 1 版" in capsys.readouterr().out


def test_import_12345_is_idempotent_and_names_bad_rows(database, capsys, tmp_path):
    from tests.services.test_hotline_import import order, workbook

    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook([order(1), order(2)]))
    assert main(["import-12345", str(good)]) == 0
    assert "新增 2 件" in capsys.readouterr().out
    assert main(["import-12345", str(good)]) == 0
    assert "新增 0 件，跳过已导入 2 件" in capsys.readouterr().out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([order(3), order(4, 诉求内容="")]))
    assert main(["import-12345", str(bad)]) == 1
    captured = capsys.readouterr()
    assert "新增 0 件" in captured.out
    assert "第 2–3 行这一批未导入" in captured.err and "第 3 行：诉求内容缺失" in captured.err
