"""The command line on a fresh demo database of its own."""

from datetime import timedelta

import pytest

from portal import clock, workdays
from portal.cli import main


@pytest.fixture
def demo_database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    assert main(["setup"]) == 0  # migrate, and demo data on a brand-new database


def test_setup_loads_the_demo_only_once(demo_database, capsys):
    capsys.readouterr()
    assert main(["setup"]) == 0
    assert "首次运行" not in capsys.readouterr().out


def test_escalate_on_the_demo_issues_notices_once_per_day(demo_database, capsys):
    # a working day about ten days on (#11: escalate does nothing on a non-working day)
    later = workdays.add_working_days(clock.today() + timedelta(days=9), 1).isoformat()
    capsys.readouterr()
    assert main(["escalate", "--today", later, "--dry-run"]) == 0
    planned = capsys.readouterr().out
    assert "试运行" in planned and "提醒单" in planned
    assert main(["escalate", "--today", later]) == 0
    first = capsys.readouterr().out
    assert "提醒〔" in first and "发出 0 份通知" not in first
    assert main(["escalate", "--today", later]) == 0
    assert "发出 0 份通知" in capsys.readouterr().out


def test_create_admin_generates_a_password_shown_once(demo_database, capsys):
    assert main(["create-admin", "ops_admin", "--generate"]) == 0
    out = capsys.readouterr().out
    assert "已创建管理员 ops_admin" in out and "初始密码（只显示这一次）" in out
    assert main(["create-admin", "ops_admin", "--generate"]) == 1
    assert "用户名 ops_admin 已被使用。" in capsys.readouterr().err


def test_quotas_json_lists_the_15_quota_units(demo_database, capsys):
    import json

    capsys.readouterr()
    assert main(["quotas", "--year", "2026", "--date", "2026-12-31", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 15 and rows[0]["unit"] == "区发改局"
    assert [c["date"] for c in rows[0]["checkpoints"]] == ["2026-03-31", "2026-12-31"]
    assert {c["status"] for r in rows for c in r["checkpoints"]} <= {"已达标", "未达标", "有风险",
                                                                    "豁免"}


def test_quotas_on_15_january_show_no_unmet_checkpoint_after_it(demo_database, capsys):
    import json

    capsys.readouterr()
    assert main(["quotas", "--year", "2026", "--date", "2026-01-15", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    later = [c for r in rows for c in r["checkpoints"] if c["date"] > "2026-01-15"]
    assert later and all(c["status"] != "未达标" for c in later)


def test_escalate_on_a_non_working_day_needs_force(demo_database, capsys):
    capsys.readouterr()
    assert main(["escalate", "--today", "2026-11-28", "--dry-run"]) == 0  # a Saturday
    assert "不是工作日" in capsys.readouterr().out
    assert main(["escalate", "--today", "2026-11-28", "--dry-run", "--force"]) == 0
    assert "逾期督办（试运行，未保存）" in capsys.readouterr().out


def test_close_unrated_closes_old_unrated_replies(demo_database, capsys):
    later = (clock.today() + timedelta(days=40)).isoformat()
    capsys.readouterr()
    assert main(["close-unrated", "--today", later]) == 0
    out = capsys.readouterr().out
    assert "已办结（未评价）" in out and " 0 件" not in out
    assert main(["close-unrated", "--today", later]) == 0
    assert "：0 件" in capsys.readouterr().out
