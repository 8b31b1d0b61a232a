"""Senders, one per channel: SMTP e-mail, SMS (file for development, HTTP gateway), and the
钉钉 / 企业微信 group robots. Each raises DeliveryError with a short reason when it fails."""

import base64
import hashlib
import hmac
import json
import re
import smtplib
import ssl
import time
import urllib.parse
import urllib.request
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from portal import PROJECT_ROOT, clock
from portal.notifications.tables import OutboxMessage, UnitWebhook
from portal.settings import Settings

URL = re.compile(r"https?://\S+")


class DeliveryError(Exception):
    """The channel refused or could not be reached; the worker retries later."""


def email_enabled(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def send_email(message: OutboxMessage, settings: Settings) -> str:
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = settings.mail_from
    mail["To"] = message.address
    # The same Message-ID on every attempt lets mail clients drop a copy re-sent after a crash.
    domain = settings.mail_from.rpartition("@")[2] or "localhost"
    mail["Message-ID"] = f"<outbox-{message.id}@{domain}>"
    text = message.body if not message.link or message.link in message.body else (
        f"{message.body}\n\n{message.link}")
    mail.set_content(text)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                          timeout=settings.notify_http_timeout_seconds) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())  # verify the server
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP: {exc}") from exc
    return mail["Message-ID"] or make_msgid()


def signature(settings: Settings) -> str:
    name = settings.sms_signature.strip().strip("【】")
    return f"【{name}】"


def sms_text(message: OutboxMessage, settings: Settings) -> str:
    """Signature first, no second 【…】, links only where allowed, within the length limit."""
    body = message.body.replace("【", "[").replace("】", "]").strip()
    if message.to_filer and not settings.sms_links_for_filers:
        body = URL.sub("", body).strip()
    sign = signature(settings)
    room = settings.sms_max_chars - len(sign)
    if len(body) > room:
        body = body[:room - 1] + "…"
    return sign + body


def send_sms(message: OutboxMessage, settings: Settings) -> str:
    text = sms_text(message, settings)
    if settings.sms_backend == "file":
        path = Path(settings.sms_file)
        path = path if path.is_absolute() else PROJECT_ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"at": clock.now().isoformat(), "mobile": message.address,
                           "text": text, "out_id": str(message.id)}, ensure_ascii=False)
        with path.open("a", encoding="utf-8") as sink:  # one short O_APPEND write per message
            sink.write(line + "\n")
        return f"file:{path.name}"
    if settings.sms_backend == "http":
        payload = {"mobile": message.address, "template_id": settings.sms_template_id,
                   "sign_name": signature(settings).strip("【】"), "content": text,
                   "out_id": str(message.id)}
        body = json.dumps(payload, ensure_ascii=False).encode()
        stamp = str(int(time.time()))
        digest = hmac.new(settings.sms_key.encode(), stamp.encode() + b"\n" + body,
                          hashlib.sha256).hexdigest()
        answer = _post(settings.sms_gateway_url, body, settings,
                       headers={"X-Timestamp": stamp, "X-Signature": digest})
        if str(answer.get("code")) not in ("0", "OK"):
            raise DeliveryError(f"SMS gateway: {answer.get('code')} {answer.get('message', '')}")
        return str(answer.get("message_id", "ok"))
    raise DeliveryError(f"SMS backend {settings.sms_backend!r} is off")


def _post(url: str, body: bytes, settings: Settings, headers: dict | None = None) -> dict:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=settings.notify_http_timeout_seconds) as got:
            raw = got.read()
    except OSError as exc:  # URLError and HTTPError are OSErrors
        raise DeliveryError(f"HTTP: {exc}") from exc
    try:
        return json.loads(raw or b"{}")
    except ValueError as exc:
        raise DeliveryError(f"HTTP: not JSON: {raw[:100]!r}") from exc


def _dingtalk_url(hook: UnitWebhook) -> str:
    """钉钉 “加签”: timestamp and HMAC-SHA256 signature as query parameters."""
    if not hook.secret:
        return hook.url
    stamp = str(int(time.time() * 1000))
    digest = hmac.new(hook.secret.encode(), f"{stamp}\n{hook.secret}".encode(),
                      hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in hook.url else "?"
    return f"{hook.url}{joiner}timestamp={stamp}&sign={sign}"


def send_robot(message: OutboxMessage, hook: UnitWebhook | None, settings: Settings) -> str:
    if hook is None or not hook.active:
        raise DeliveryError("robot removed or switched off")
    if hook.kind == "dingtalk":
        payload = {"msgtype": "markdown",
                   "markdown": {"title": message.subject, "text": message.body}}
        url = _dingtalk_url(hook)
    else:
        payload = {"msgtype": "markdown", "markdown": {"content": message.body}}
        url = hook.url
    answer = _post(url, json.dumps(payload, ensure_ascii=False).encode(), settings)
    if answer.get("errcode", 0) != 0:
        raise DeliveryError(f"{hook.kind}: {answer.get('errcode')} {answer.get('errmsg', '')}")
    return "ok"
