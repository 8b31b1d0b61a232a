"""Delivery against real local servers: SMTP (aiosmtpd), an HTTP SMS gateway and the 钉钉 /
企业微信 robots (http.server); retries, quiet hours and exactly-once with concurrent workers.

These tests commit (the worker uses its own connections) and clean the tables afterwards.
"""

import json
import socket
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete
from sqlmodel import Session, select

from portal import clock
from portal.models import Unit
from portal.notifications import channels, worker
from portal.notifications.tables import (
    DeliveryAttempt,
    InboxMessage,
    NotificationEvent,
    OutboxMessage,
    UnitWebhook,
)
from portal.settings import Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def db(engine):
    yield engine
    with Session(engine) as session:
        for table in (DeliveryAttempt, OutboxMessage, InboxMessage, UnitWebhook,
                      NotificationEvent):
            session.exec(delete(table))
        session.commit()


def put(engine, channel: str, address: str, *, body: str = "您有一件新分办件 YS2026-000001",
        count: int = 1, **fields) -> list[int]:
    with Session(engine) as session:
        event = NotificationEvent(event="report_assigned")
        session.add(event)
        session.flush()
        rows = [OutboxMessage(event_id=event.id, event="report_assigned", channel=channel,
                              address=address, subject="新分办件 YS2026-000001", body=body,
                              link="http://portal.example/unit_reports", status="pending",
                              next_attempt_at=clock.now() - timedelta(seconds=1), **fields)
                for _ in range(count)]
        session.add_all(rows)
        session.commit()
        return [r.id for r in rows]


def row(engine, row_id: int) -> OutboxMessage:
    with Session(engine) as session:
        return session.get(OutboxMessage, row_id)


def attempts(engine, row_id: int) -> list[str]:
    with Session(engine) as session:
        return [a.result for a in session.exec(select(DeliveryAttempt).where(
            DeliveryAttempt.outbox_id == row_id).order_by(DeliveryAttempt.id))]


# ---- local servers -----------------------------------------------------------------------

class Mailbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


class Endpoint:
    """A local HTTP server answering each POST with the next queued (status, JSON) reply."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict, dict]] = []
        self.replies: list[tuple[int, dict]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                endpoint.requests.append((self.path, dict(self.headers), body))
                status, answer = endpoint.replies.pop(0) if endpoint.replies else (
                    200, {"code": "OK", "errcode": 0})
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # noqa: ANN002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_endpoint():
    endpoint = Endpoint()
    yield endpoint
    endpoint.stop()


def settings(**changes) -> Settings:
    values = {"smtp_host": "", "sms_backend": "off", "notify_retry_base_seconds": 60,
              "notify_max_attempts": 3, "sms_signature": "某区营商办"}
    return Settings(**(values | changes))


@pytest.fixture
def daytime(monkeypatch):
    moment = {"now": datetime(2026, 11, 23, 10, 0)}
    monkeypatch.setattr(clock, "precise_now", lambda: moment["now"])
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


# ---- channels ----------------------------------------------------------------------------

def test_email_goes_through_a_real_smtp_server(db, smtp_server, daytime):
    controller, mailbox = smtp_server
    [row_id] = put(db, "email", "zhangwei@example.com")
    stats = worker.run_once(db, settings=settings(smtp_host="127.0.0.1",
                                                  smtp_port=controller.port,
                                                  mail_from="notice@portal.example"))
    assert stats.sent == 1
    [envelope] = mailbox.messages
    assert envelope.rcpt_tos == ["zhangwei@example.com"]
    text = envelope.content.decode()
    assert f"Message-ID: <outbox-{row_id}@portal.example>" in text
    assert row(db, row_id).status == "sent" and attempts(db, row_id) == ["sent"]


def test_email_stays_pending_while_smtp_host_is_unset(db, daytime):
    [row_id] = put(db, "email", "zhangwei@example.com")
    assert worker.run_once(db, settings=settings()).sent == 0
    assert row(db, row_id).status == "pending" and attempts(db, row_id) == []


def test_sms_through_the_http_gateway_is_signed(db, http_endpoint, daytime):
    [row_id] = put(db, "sms", "13800000001")
    stats = worker.run_once(db, settings=settings(
        sms_backend="http", sms_gateway_url=f"{http_endpoint.url}/sms/send",
        sms_template_id="SMS_001", sms_key="k3y"))
    assert stats.sent == 1
    [(path, headers, body)] = http_endpoint.requests
    assert path == "/sms/send" and body["mobile"] == "13800000001"
    assert body["template_id"] == "SMS_001" and body["out_id"] == str(row_id)
    assert body["content"].startswith("【某区营商办】您有一件新分办件")
    import hashlib
    import hmac
    raw = json.dumps(body, ensure_ascii=False).encode()
    expected = hmac.new(b"k3y", headers["X-Timestamp"].encode() + b"\n" + raw,
                        hashlib.sha256).hexdigest()
    assert headers["X-Signature"] == expected


def test_a_gateway_refusal_is_an_error_with_its_reason(db, http_endpoint, daytime):
    http_endpoint.replies.append((200, {"code": "isv.MOBILE_NUMBER_ILLEGAL",
                                        "message": "号码格式错误"}))
    [row_id] = put(db, "sms", "13800000001")
    worker.run_once(db, settings=settings(sms_backend="http",
                                          sms_gateway_url=http_endpoint.url))
    assert "MOBILE_NUMBER_ILLEGAL" in row(db, row_id).last_error
    assert row(db, row_id).status == "pending"  # retried later


def test_sms_text_follows_the_chinese_rules():
    message = OutboxMessage(event_id=1, event="filer_replied", channel="sms",
                            address="13800000001", subject="", to_filer=True, status="pending",
                            body="您反映的问题【YS2026-000001】已答复，查看：http://portal.example/track "
                                 + "请评价。" * 60)
    text = channels.sms_text(message, settings(sms_max_chars=70))
    assert text.startswith("【某区营商办】") and text.count("【") == 1
    assert "http" not in text and len(text) == 70 and text.endswith("…")
    assert "http://portal.example/track" in channels.sms_text(
        message, settings(sms_max_chars=500, sms_links_for_filers=True))
    staff = message.model_copy(update={"to_filer": False})
    assert "http://portal.example/track" in channels.sms_text(staff, settings(sms_max_chars=500))


def test_the_file_backend_writes_json_lines(db, tmp_path, daytime):
    sink = tmp_path / "sms.jsonl"
    ids = put(db, "sms", "13800000001", count=2)
    worker.run_once(db, settings=settings(sms_backend="file", sms_file=str(sink)))
    lines = [json.loads(line) for line in sink.read_text().splitlines()]
    assert [line["out_id"] for line in lines] == [str(i) for i in ids]
    assert lines[0]["mobile"] == "13800000001" and lines[0]["text"].startswith("【某区营商办】")


@pytest.mark.parametrize("kind", ["dingtalk", "wecom"])
def test_work_chat_robots_get_a_markdown_card(db, http_endpoint, daytime, kind):
    with Session(db) as session:
        unit = session.exec(select(Unit).where(Unit.name == "区发改局")).one()
        hook = UnitWebhook(unit_id=unit.id, kind=kind, url=f"{http_endpoint.url}/robot?x=1",
                           secret="SEC123" if kind == "dingtalk" else "")
        session.add(hook)
        session.commit()
        hook_id = hook.id
    [row_id] = put(db, kind, str(hook_id), body="#### 新分办件\n\n**办理期限：** 2026年11月30日")
    assert worker.run_once(db, settings=settings()).sent == 1
    [(path, _headers, body)] = http_endpoint.requests
    assert body["msgtype"] == "markdown"
    if kind == "dingtalk":
        assert body["markdown"]["title"] == "新分办件 YS2026-000001"
        assert "办理期限" in body["markdown"]["text"]
        assert "timestamp=" in path and "sign=" in path
    else:
        assert "办理期限" in body["markdown"]["content"]
    assert row(db, row_id).status == "sent"


def test_a_robot_error_code_is_a_failure(db, http_endpoint, daytime):
    with Session(db) as session:
        unit = session.exec(select(Unit).where(Unit.name == "区发改局")).one()
        hook = UnitWebhook(unit_id=unit.id, kind="wecom", url=http_endpoint.url)
        session.add(hook)
        session.commit()
        hook_id = hook.id
    http_endpoint.replies.append((200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
    [row_id] = put(db, "wecom", str(hook_id))
    worker.run_once(db, settings=settings())
    assert "93000" in row(db, row_id).last_error


# ---- retries, backoff, quiet hours -------------------------------------------------------

def test_a_failing_server_is_retried_with_exponential_backoff_then_given_up(
        db, http_endpoint, daytime):
    http_endpoint.replies += [(500, {}), (503, {})]
    [row_id] = put(db, "sms", "13800000001")
    config = settings(sms_backend="http", sms_gateway_url=http_endpoint.url)
    first = worker.run_once(db, settings=config)
    assert first.retrying == 1 and first.sent == 0
    assert row(db, row_id).next_attempt_at == daytime["now"] + timedelta(seconds=60)
    assert worker.run_once(db, settings=config).retrying == 0  # not due yet
    daytime["now"] += timedelta(seconds=61)
    worker.run_once(db, settings=config)
    assert row(db, row_id).next_attempt_at == daytime["now"] + timedelta(seconds=120)
    daytime["now"] += timedelta(seconds=121)
    assert worker.run_once(db, settings=config).sent == 1  # the server is back
    assert attempts(db, row_id) == ["error", "error", "sent"]
    assert row(db, row_id).attempts == 3

    http_endpoint.replies += [(500, {})] * 3
    [dead] = put(db, "sms", "13800000002")
    for _ in range(3):
        worker.run_once(db, settings=config)
        daytime["now"] += timedelta(hours=1)
    assert row(db, dead).status == "failed" and attempts(db, dead) == ["error"] * 3


def test_a_failed_channel_does_not_block_the_others(db, smtp_server, http_endpoint, daytime):
    controller, mailbox = smtp_server
    http_endpoint.replies.append((500, {}))
    [sms] = put(db, "sms", "13800000001")
    [mail] = put(db, "email", "a@example.com")
    worker.run_once(db, settings=settings(smtp_host="127.0.0.1", smtp_port=controller.port,
                                          sms_backend="http",
                                          sms_gateway_url=http_endpoint.url))
    assert row(db, sms).status == "pending" and row(db, mail).status == "sent"


def test_no_sms_in_quiet_hours_except_exempt_red_cards(db, tmp_path, daytime):
    daytime["now"] = datetime(2026, 11, 23, 22, 30)
    sink = tmp_path / "sms.jsonl"
    [normal] = put(db, "sms", "13800000001")
    [red] = put(db, "sms", "13800000002", quiet_exempt=True)
    [mail_like_robot] = put(db, "email", "a@example.com")
    config = settings(sms_backend="file", sms_file=str(sink))
    stats = worker.run_once(db, settings=config)
    assert stats.deferred == 1 and stats.sent == 1
    assert row(db, normal).next_attempt_at == datetime(2026, 11, 24, 8, 0)
    assert row(db, normal).status == "pending" and row(db, normal).attempts == 0
    assert row(db, red).status == "sent"
    assert attempts(db, normal) == ["deferred"]
    daytime["now"] = datetime(2026, 11, 24, 8, 1)
    assert worker.run_once(db, settings=config).sent == 1
    assert len(sink.read_text().splitlines()) == 2
    assert row(db, mail_like_robot).status == "pending"  # e-mail is off in this config


def test_quiet_hours_arithmetic():
    assert worker.in_quiet_hours(datetime(2026, 1, 1, 21, 0), 21, 8)
    assert worker.in_quiet_hours(datetime(2026, 1, 1, 7, 59), 21, 8)
    assert not worker.in_quiet_hours(datetime(2026, 1, 1, 8, 0), 21, 8)
    assert worker.in_quiet_hours(datetime(2026, 1, 1, 13, 0), 12, 14)
    assert not worker.in_quiet_hours(datetime(2026, 1, 1, 12, 0), 8, 8)
    assert worker.quiet_until(datetime(2026, 1, 1, 6, 0), 8) == datetime(2026, 1, 1, 8, 0)
    assert worker.quiet_until(datetime(2026, 1, 1, 22, 0), 8) == datetime(2026, 1, 2, 8, 0)


# ---- exactly once ------------------------------------------------------------------------

def test_two_concurrent_workers_deliver_each_message_exactly_once(db, tmp_path, daytime):
    sink = tmp_path / "sms.jsonl"
    ids = put(db, "sms", "13800000001", count=120)
    config = settings(sms_backend="file", sms_file=str(sink))
    results = []
    barrier = threading.Barrier(2)

    def run(name: str) -> None:
        barrier.wait()
        results.append(worker.run_once(db, worker=name, batch=5, settings=config))

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    out_ids = [json.loads(line)["out_id"] for line in sink.read_text().splitlines()]
    assert sorted(out_ids) == sorted(str(i) for i in ids)  # every one, none twice
    assert sum(r.sent for r in results) == 120
    assert all(r.sent > 0 for r in results), "both workers took part"
    with Session(db) as session:
        sent = session.exec(select(OutboxMessage).where(
            OutboxMessage.status == "sent")).all()
        assert len(sent) == 120 and {r.attempts for r in sent} == {1}
    assert worker.run_once(db, settings=config).sent == 0


def test_a_claim_left_by_a_killed_worker_is_retried_after_the_timeout(db, tmp_path, daytime):
    sink = tmp_path / "sms.jsonl"
    [row_id] = put(db, "sms", "13800000001")
    config = settings(sms_backend="file", sms_file=str(sink),
                      notify_claim_timeout_seconds=600)
    assert worker.claim(db, worker="killed", settings=config) == [row_id]  # then it dies
    assert worker.run_once(db, worker="other", settings=config).sent == 0  # claim still fresh
    daytime["now"] += timedelta(seconds=601)
    assert worker.run_once(db, worker="other", settings=config).sent == 1
    # the killed worker, were it only slow, cannot send or overwrite the row any more
    stats = worker.RunStats()
    worker.deliver_one(db, row_id, worker="killed", settings=config, stats=stats)
    assert stats.sent == 0 and len(sink.read_text().splitlines()) == 1
    assert row(db, row_id).status == "sent" and row(db, row_id).attempts == 2


def test_the_loop_keeps_delivering_until_stopped(db, tmp_path, daytime, monkeypatch):
    sink = tmp_path / "sms.jsonl"
    monkeypatch.setattr(worker, "get_settings",
                        lambda: settings(sms_backend="file", sms_file=str(sink)))
    stop = threading.Event()
    loop = threading.Thread(target=worker.run_loop, args=(db,),
                            kwargs={"interval": 0.05, "stop": stop})
    loop.start()
    try:
        ids = put(db, "sms", "13800000001", count=3)
        for _ in range(200):
            if sink.exists() and len(sink.read_text().splitlines()) == 3:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        loop.join(timeout=10)
    assert not loop.is_alive()
    assert [json.loads(line)["out_id"] for line in sink.read_text().splitlines()] == [
        str(i) for i in ids]


def test_a_users_own_quiet_hours_apply_to_their_sms(db, tmp_path, daytime):
    from portal.models import User, UserRole
    from portal.notifications.tables import NotificationPreference

    with Session(db) as session:
        user = User(username="quiet_tester", display_name="午休的人", password_hash="x")
        session.add(user)
        session.flush()
        session.add(NotificationPreference(user_id=user.id, quiet_start=12, quiet_end=14))
        session.commit()
        user_id = user.id
    try:
        daytime["now"] = datetime(2026, 11, 23, 13, 0)
        [row_id] = put(db, "sms", "13800000001", user_id=user_id)
        config = settings(sms_backend="file", sms_file=str(tmp_path / "sms.jsonl"))
        assert worker.run_once(db, settings=config).deferred == 1
        assert row(db, row_id).next_attempt_at == datetime(2026, 11, 23, 14, 0)
        daytime["now"] = datetime(2026, 11, 23, 22, 0)  # the installation's quiet hours
        assert worker.run_once(db, settings=config).sent == 1  # are not this user's
    finally:
        with Session(db) as session:
            session.exec(delete(DeliveryAttempt))
            session.exec(delete(OutboxMessage))
            session.exec(delete(NotificationPreference).where(
                NotificationPreference.user_id == user_id))
            session.exec(delete(UserRole).where(UserRole.user_id == user_id))
            session.exec(delete(User).where(User.id == user_id))
            session.commit()
