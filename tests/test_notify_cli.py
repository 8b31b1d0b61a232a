"""`portal notify --once` on the demo data delivers what seed-demo left pending, once."""

import json
import os
import re
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func
from sqlmodel import Session, select

from portal import clock
from portal.cli import main
from portal.db import make_engine
from portal.notifications.tables import InboxMessage, OutboxMessage
from portal.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]


class Mailbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(controller.port))
    get_settings.cache_clear()
    yield mailbox
    controller.stop()


@pytest.fixture
def demo(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'notify.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SMS_BACKEND", "file")
    monkeypatch.setenv("SMS_FILE", str(tmp_path / "sms.jsonl"))
    assert main(["setup"]) == 0
    return make_engine(url)


@pytest.fixture
def daytime(monkeypatch):
    """Noon tomorrow: after the demo's messages were written, outside the SMS quiet hours."""
    noon = clock.precise_now().replace(hour=12) + timedelta(days=1)
    monkeypatch.setattr(clock, "precise_now", lambda: noon)


def by_status(engine) -> dict[str, int]:
    with Session(engine) as session:
        return dict(session.exec(select(OutboxMessage.status, func.count())
                                 .group_by(OutboxMessage.status)).all())


def test_the_demo_leaves_messages_pending_and_notify_delivers_them_once(
        demo, smtp, tmp_path, daytime, capsys):
    pending = by_status(demo)
    assert set(pending) == {"pending"} and pending["pending"] > 10
    with Session(demo) as session:
        assert session.exec(select(func.count()).select_from(InboxMessage)).one() > 10
        channels = set(session.exec(select(OutboxMessage.channel)).all())
    assert channels == {"email", "sms"}
    capsys.readouterr()
    assert main(["notify", "--once"]) == 0
    out = capsys.readouterr().out
    assert f"已发送 {pending['pending']} 条" in out
    assert by_status(demo) == {"sent": pending["pending"]}
    emails = len(smtp.messages)
    sms = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert emails + len(sms) == pending["pending"]
    assert {r for m in smtp.messages for r in m.rcpt_tos} <= {
        f"{u}@yingshang.example.com" for u in ("supervisor", "discipline", "unit_fgj",
                                               "unit_zjj", "company", "admin")}
    assert all(s["text"].startswith("【") for s in sms)

    assert main(["notify", "--once"]) == 0
    assert "已发送 0 条" in capsys.readouterr().out
    assert len(smtp.messages) == emails
    assert len((tmp_path / "sms.jsonl").read_text().splitlines()) == len(sms)


def test_email_waits_while_smtp_host_is_unset(demo, daytime, monkeypatch, capsys):
    monkeypatch.delenv("SMTP_HOST", raising=False)
    get_settings.cache_clear()
    assert main(["notify", "--once"]) == 0
    assert by_status(demo).get("pending", 0) > 0  # the e-mails
    with Session(demo) as session:
        waiting = set(session.exec(select(OutboxMessage.channel).where(
            OutboxMessage.status == "pending")).all())
    assert waiting == {"email"}


def test_the_daily_job_runs_from_the_command_line(demo, capsys):
    capsys.readouterr()
    assert main(["notify", "--daily", "--today", "2026-12-02"]) == 0
    out = capsys.readouterr().out
    assert "每日提醒" in out and "指标有风险" in out
    assert main(["notify", "--daily", "--today", "2026-12-02"]) == 0
    assert "红黄牌 0 件" in capsys.readouterr().out


def test_two_notify_processes_on_one_database_send_each_message_once(demo, tmp_path):
    with Session(demo) as session:
        event = session.exec(select(OutboxMessage.event_id)).first()
        session.add_all([OutboxMessage(event_id=event, event="report_assigned", channel="sms",
                                       address="13800000001", subject="x", body=f"第{i}条",
                                       status="pending", next_attempt_at=clock.now())
                         for i in range(300)])
        session.commit()
        total = session.exec(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.channel == "sms")).one()
    env = {**os.environ, "NOTIFY_QUIET_START": "0", "NOTIFY_QUIET_END": "0", "SMTP_HOST": ""}
    workers = [subprocess.Popen([sys.executable, "-m", "portal", "notify", "--once"], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=300)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers)
    lines = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert len(lines) == total and len({line["out_id"] for line in lines}) == total
    sent = [int(re.search(r"已发送 (\d+) 条", out).group(1)) for out in outputs]
    assert sum(sent) == total
