"""Notifications: event templates an admin edits, the outbox with its delivery attempts, the
in-portal inbox (站内信), per-user preferences, per-unit work-chat robots; users get an e-mail
address and reports the filer's SMS opt-in.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# (event, audience, label, subject, body, sms, default channels, may break quiet hours)
# Placeholders are the fields each event offers (portal/notifications/events.py); none of them
# is a filer's identity, so a unit's message cannot name a confidential filer.
TEMPLATES = [
    ("report_assigned", "unit", "新分办件", "新分办件 {tracking_no}",
     "{unit}：营商办分办给你单位一件反映问题「{title}」（受理编号 {tracking_no}），"
     "请于{respond_due}前响应、{deadline}前答复办结。",
     "{unit}收到新分办件{tracking_no}，请于{deadline}前答复办结。", "inbox,email,robot", False),
    ("report_reopened", "unit", "不满意转差评整改", "差评整改 {tracking_no}",
     "反映人对{tracking_no}「{title}」的答复评价为不满意，已转入差评整改，请于{deadline}前重新办结。",
     "{tracking_no}被评价不满意，请于{deadline}前整改办结。", "inbox,email,robot", False),
    ("notice_issued", "unit", "督办通知（提醒单…移交函）", "{notice_title} {number}",
     "{unit}：{tracking_no}「{title}」已逾期，现发出{notice_title}（{number}），{deadline_text}"
     "通知文书（Word）：{link}",
     "{unit}收到{notice_title}{number}，涉及{tracking_no}，{deadline_text}", "inbox,email,sms,robot",
     False),
    ("card_yellow", "unit", "黄牌提醒", "黄牌 {tracking_no}",
     "{tracking_no}「{title}」的办理期限为{deadline}，已亮黄牌，请抓紧办理。",
     "{tracking_no}期限{deadline}，已亮黄牌。", "inbox,email,robot", False),
    ("card_red", "unit", "红牌警示", "红牌 {tracking_no}",
     "{tracking_no}「{title}」已超过办理期限（{deadline}），亮红牌，请立即办理。",
     "{tracking_no}已超期（{deadline}）亮红牌，请立即办理。", "inbox,email,sms,robot", True),
    ("selfcheck_opened", "unit", "季度自查开始", "{campaign}自查已开始",
     "{campaign}自查已开始，请于{deadline}前完成填报并提交。",
     "{campaign}自查已开始，请于{deadline}前提交。", "inbox,email,robot", False),
    ("selfcheck_due", "unit", "自查即将截止", "{campaign}自查即将截止",
     "{campaign}自查将于{deadline}截止，你单位尚未提交，请抓紧填报。",
     "{campaign}自查{deadline}截止，请尽快提交。", "inbox,email,robot", False),
    ("selfcheck_returned", "unit", "自查被退回", "{campaign}自查被退回",
     "你单位{campaign}自查表被退回，意见：{comment}。请修改后重新提交。",
     "{campaign}自查表被退回，请修改后重新提交。", "inbox,email", False),
    ("report_filed", "office", "新反映问题", "新反映问题 {tracking_no}",
     "收到新的{kind}「{title}」（受理编号 {tracking_no}），请及时受理分办。",
     "收到新反映问题{tracking_no}，请及时受理。", "inbox,email", False),
    ("report_returned", "office", "单位退回件", "单位退回 {tracking_no}",
     "{unit}退回{tracking_no}「{title}」，理由：{reason}。请重新分办。",
     "{unit}退回{tracking_no}，请重新分办。", "inbox,email", False),
    ("followup_due", "office", "待回访", "{count} 件答复待回访",
     "有 {count} 件答复超过规定工作日仍未评价，请电话回访并登记结果：{link}",
     "有{count}件答复待回访。", "inbox,email", False),
    ("selfcheck_submitted", "office", "自查已提交", "{unit}已提交{campaign}自查",
     "{unit}已提交{campaign}自查表{late_text}，请审核。", "{unit}已提交{campaign}自查。",
     "inbox,email", False),
    ("transfer_letter", "discipline", "移交函", "移交函 {number}",
     "{unit}承办的{tracking_no}「{title}」经三单督办仍未办结，营商办发出移交函（{number}）。"
     "通知文书（Word）：{link}", "收到移交函{number}，涉及{unit}。", "inbox,email,sms", False),
    ("case_review", "discipline", "典型案例待审核", "典型案例待审核：{case_title}",
     "{unit}的典型案例「{case_title}」已办结，等待审核。", "{unit}有典型案例待审核。",
     "inbox,email", False),
    ("quota_at_risk", "discipline", "指标考核节点有风险", "{unit}指标有风险（{checkpoint}）",
     "{unit}距{checkpoint}考核节点不足 30 天，已审核案例 {cases} 件（处分 {sanctioned} 件），"
     "尚未达标。", "{unit}距{checkpoint}考核节点不足30天，指标尚未达标。", "inbox,email", False),
    ("filer_accepted", "filer", "反映人：已受理", "{tracking_no} 已受理",
     "您反映的问题（受理编号 {tracking_no}）{status}。查询：{link}",
     "您反映的问题{tracking_no}{status}，可凭查询码查询进度。", "inbox,sms", False),
    ("filer_replied", "filer", "反映人：已答复", "{tracking_no} 已答复",
     "您反映的问题（受理编号 {tracking_no}）{status}，请凭查询码查看答复并评价：{link}",
     "您反映的问题{tracking_no}{status}，请凭查询码查看并评价。", "inbox,sms", False),
    ("filer_rejected", "filer", "反映人：不予受理", "{tracking_no} 不予受理",
     "您反映的问题（受理编号 {tracking_no}）{status}，理由可凭查询码查看：{link}",
     "您反映的问题{tracking_no}{status}，可凭查询码查看理由。", "inbox,sms", False),
    ("digest", "any", "每日汇总", "站内信每日汇总（{count} 条未读）",
     "您有 {count} 条未读站内信：\n{items}", "您有{count}条未读站内信。", "email", False),
]


def upgrade() -> None:
    op.add_column("users", sa.Column("email", sa.String(120), nullable=True))
    op.add_column("reports", sa.Column("sms_opt_in", sa.Boolean, nullable=False,
                                       server_default=sa.false()))
    templates = op.create_table(
        "notification_templates",
        sa.Column("event", sa.String(40), primary_key=True),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("label", sa.String(60), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("sms_body", sa.Text, nullable=False),
        sa.Column("channels", sa.String(100), nullable=False),
        sa.Column("quiet_exempt", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.Column("updated_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    )
    op.bulk_insert(templates, [
        {"event": e, "audience": a, "label": label, "subject": s, "body": b, "sms_body": sms,
         "channels": ch, "quiet_exempt": q, "enabled": True}
        for e, a, label, s, b, sms, ch, q in TEMPLATES])
    op.create_table(
        "notification_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("dedupe_key", sa.String(120), nullable=True, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "notification_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("notification_events.id"),
                  nullable=False, index=True),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=True),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("link", sa.String(300), nullable=False, server_default=""),
        sa.Column("to_filer", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("quiet_exempt", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False),
        sa.Column("claimed_at", sa.DateTime, nullable=True),
        sa.Column("claimed_by", sa.String(80), nullable=True),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        sa.Column("last_error", sa.String(500), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_outbox_due", "notification_outbox", ["status", "next_attempt_at"])
    op.create_table(
        "notification_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("outbox_id", sa.Integer, sa.ForeignKey("notification_outbox.id"),
                  nullable=False, index=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("worker", sa.String(80), nullable=False),
        sa.Column("result", sa.String(12), nullable=False),
        sa.Column("detail", sa.String(500), nullable=False, server_default=""),
        sa.Column("duration_ms", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "inbox_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("notification_events.id"),
                  nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("link", sa.String(300), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("read_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_inbox_user_read", "inbox_messages", ["user_id", "read_at"])
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("channels", sa.Text, nullable=False, server_default="{}"),
        sa.Column("digest", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("quiet_start", sa.Integer, nullable=False, server_default="21"),
        sa.Column("quiet_end", sa.Integer, nullable=False, server_default="8"),
    )
    op.create_table(
        "unit_webhooks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False, server_default=""),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("unit_id", "kind"),
    )


def downgrade() -> None:
    for table in ("unit_webhooks", "notification_preferences", "inbox_messages",
                  "notification_attempts", "notification_outbox", "notification_events",
                  "notification_templates"):
        op.drop_table(table)
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("sms_opt_in")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
