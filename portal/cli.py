"""`python -m portal …` (also installed as `portal`): migrations, accounts, demo data, exports."""

import argparse
import getpass
import json
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

from portal import (
    catalogue,
    clock,
    demo,
    demo_history,
    demo_stage,
    demo_tasks,
    demo_triage,
    escalation,
    migrate,
    text_rules,
    users,
    workdays,
)
from portal.db import make_engine, session_scope
from portal.errors import JobRunning, PortalError
from portal.i18n import t
from portal.passwords import generate_password


def _migrate(_args: argparse.Namespace) -> int:
    engine = make_engine()
    migrate.upgrade(engine)
    print("数据库已迁移到最新版本。")
    return 0


def _setup(_args: argparse.Namespace) -> int:
    """What `make run` does before serving: migrate, and load the demo on a brand-new database."""
    engine = make_engine()
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        fresh = not users.any_account(session)
    if fresh:
        print("首次运行：载入演示数据。")
        return _seed_demo(_args)
    print("数据库已是最新版本。")
    return 0


def _create_admin(args: argparse.Namespace) -> int:
    if args.generate:
        password = generate_password()
    else:
        password = getpass.getpass("新管理员密码（直接回车则自动生成）：")
        if password:
            if getpass.getpass("再次输入密码：") != password:
                print("两次输入的密码不一致，未创建账号。", file=sys.stderr)
                return 1
        else:
            password = generate_password()
            args.generate = True
    with session_scope(make_engine()) as session:
        user = users.create_admin(session, username=args.username, password=password)
    print(f"已创建管理员 {user.username}。")
    if args.generate:
        print(f"初始密码（只显示这一次）：{password}")
    return 0


def _seed_demo(_args: argparse.Namespace) -> int:
    with session_scope(make_engine()) as session:
        results = demo.seed_demo(session)
        report_count = demo.seed_demo_reports(session)
        report_count += demo_history.seed_demo_history(session)
        campaigns = demo.seed_demo_selfchecks(session)
        case_count = demo.seed_demo_cases(session)
        entry_count = demo_triage.seed_demo_triage(session)
        task_count = demo_tasks.seed_demo_tasks(session)
        stage_count = demo_stage.seed_demo_stage(session)
    print("演示账号（仅供演示，切勿用于生产环境）：")
    print(f"{'用户名':<12}{'密码':<22}{'角色':<12}姓名")
    for account, created in results:
        roles = "、".join(t(f"role.{r.value}") for r in account.roles)
        note = "" if created else "（已存在，未修改）"
        print(f"{account.username:<14}{account.password:<24}{roles:<10}{account.display_name}{note}")
    if report_count:
        print(f"已载入 {report_count} 件演示反映问题。")
    if campaigns:
        print("已载入 2026年第三、四季度自查演示数据。")
    if case_count:
        print(f"已载入 {case_count} 件已审核典型案例和 1 项指标豁免。")
    if entry_count:
        print(f"已载入 {entry_count} 条知识库条目、1 件疑似重复的反映问题和 12345 工单列对应关系。")
    if task_count:
        print(f"已载入 {task_count} 项重点任务及其进展报送记录。")
    if stage_count:
        print(f"已载入 {stage_count} 项报送事项及各单位报送情况。")
    return 0


def _catalogue(args: argparse.Namespace) -> int:
    with session_scope(make_engine()) as session:
        entries = catalogue.list_categories(session, year=args.year)
    if args.json:
        print(json.dumps(catalogue.as_json_rows(entries), ensure_ascii=False, indent=2))
        return 0
    area = None
    for entry in entries:
        if entry.area != area:
            area = entry.area
            print(f"{entry.area_number}. {area}")
        print(f"   {entry.number:>2}. {entry.text}")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with its refusals in Chinese, exit code 2 and no traceback."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        message = message.replace("argument ", "")  # argparse's English prefix
        self.exit(2, f"{self.prog}：{t('cli.bad_argument', message=message)}\n")


def _day(text: str) -> date:
    """An argparse type: YYYY-MM-DD within the years the portal handles."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not text_rules.YEAR_MIN <= day.year <= text_rules.YEAR_MAX:
        raise argparse.ArgumentTypeError(t("cli.bad_date", value=text, min=text_rules.YEAR_MIN,
                                           max=text_rules.YEAR_MAX))
    return day


def _year(text: str) -> int:
    """An argparse type: a year the portal handles (2000–2100)."""
    try:
        year = int(text)
    except ValueError:
        year = None
    if year is None or not text_rules.YEAR_MIN <= year <= text_rules.YEAR_MAX:
        raise argparse.ArgumentTypeError(t("cli.bad_year", value=text, min=text_rules.YEAR_MIN,
                                           max=text_rules.YEAR_MAX))
    return year


def _escalate(args: argparse.Namespace) -> int:
    today = args.today or clock.today()
    with session_scope(make_engine()) as session:
        if not args.force and not workdays.is_working_day(today, session=session):
            print(f"{today.isoformat()} 不是工作日，未执行逾期督办（需要时加 --force）。")
            return 0
        issued = escalation.escalate(session, today=today, dry_run=args.dry_run,
                                     force=args.force)
    mode = "（试运行，未保存）" if args.dry_run else ""
    print(f"{today.isoformat()} 逾期督办{mode}：发出 {len(issued)} 份通知")
    if issued:
        print(f"{'文号':<16}{'类型':<8}{'受理编号':<16}{'责任单位':<12}{'超期天数':<8}新期限")
        for item in issued:
            deadline = item.deadline.isoformat() if item.deadline else "—"
            print(f"{item.number:<16}{escalation.TITLE[item.kind]:<8}{item.tracking_no:<16}"
                  f"{item.unit:<12}{item.overdue_days:<10}{deadline}")
    return 0


def _quotas(args: argparse.Namespace) -> int:
    from portal import quotas

    on = args.date or clock.today()
    with session_scope(make_engine()) as session:
        rows = quotas.compute(session, year=args.year or on.year, on=on)
    if args.json:
        print(json.dumps([{"unit": r["unit"], "cases": r["cases"], "sanctioned": r["sanctioned"],
                           "checkpoints": [{"date": c["date"], "status": c["status"],
                                            "reason": c["reason"],
                                            "days_left": c["days_left"]}
                                           for c in r["checkpoints"]]} for r in rows],
                         ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        marks = "　".join(f"{c['date']} {c['status']}" + (f"（{c['reason']}）" if c["reason"] else "")
                         for c in r["checkpoints"])
        print(f"{r['unit']:<10} 案例 {r['cases']}（处分 {r['sanctioned']}）　{marks}")
    return 0


def _close_unrated(args: argparse.Namespace) -> int:
    from portal import followup

    today = args.today or clock.today()
    with session_scope(make_engine()) as session:
        count = followup.close_unrated(session, today=today, dry_run=args.dry_run)
    mode = "（试运行，未保存）" if args.dry_run else ""
    print(f"{today.isoformat()} 未评价结案{mode}：{count} 件按已办结（未评价）结案")
    return 0


def _notify(args: argparse.Namespace) -> int:
    """Deliver pending messages (--once, the default; --loop), or run the daily/digest jobs."""
    from portal.notifications import daily, worker

    engine = make_engine()
    if args.daily or args.digest:
        today = args.today or clock.today()
        with session_scope(engine) as session:
            if args.daily and not args.today and not workdays.is_working_day(
                    today, session=session):
                print(f"{today.isoformat()} 不是工作日，未执行每日提醒。")
            elif args.daily:
                found = daily.run_daily(session, today=today)
                print(f"{today.isoformat()} 每日提醒：红黄牌 {found.cards} 件，"
                      f"自查即将截止 {found.selfchecks} 个单位，指标有风险 {found.quotas} 个节点，"
                      f"待回访 {found.followups} 件")
            if args.digest:
                print(f"{today.isoformat()} 每日汇总：{daily.run_digest(session, today=today)} 封")
        return 0
    if args.loop:
        print(f"消息发送进程已启动，每 {args.interval:g} 秒检查一次待发消息（Ctrl+C 退出）。")
        try:
            worker.run_loop(engine, interval=args.interval)
        except KeyboardInterrupt:
            return 0
        return 0
    stats = worker.run_once(engine)
    print(f"已发送 {stats.sent} 条，稍后重试 {stats.retrying} 条，"
          f"免打扰推迟 {stats.deferred} 条，失败 {stats.failed} 条")
    for error in stats.errors[:10]:
        print(f"  {error}", file=sys.stderr)
    return 0


def _backup(args: argparse.Namespace) -> int:
    from portal import backup

    done = backup.backup(make_engine(), args.path)
    print(f"已备份到 {done.path}（{done.tool}，{done.size:,} 字节）。")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from portal import backup

    backup.restore(make_engine(), args.path)
    print(f"已从 {args.path} 恢复数据库。请重新启动门户。")
    return 0


def _audit_verify(_args: argparse.Namespace) -> int:
    from portal import audit

    with session_scope(make_engine()) as session:
        result = audit.verify(session)
    if result.ok:
        print(f"OK：操作日志 {result.count} 条，哈希链完整。")
        return 0
    why = {"row_hash": "该记录的内容被改动",
           "prev_hash": "它之前的记录被删除或改动",
           "head": "最新的记录被删除或链头被改动"}[result.reason]
    where = f"第 {result.broken_id} 号记录" if result.broken_id else "链头"
    print(f"操作日志哈希链在{where}处断开（{result.reason}）：{why}。此前 {result.count} 条完好。",
          file=sys.stderr)
    return 1
def _train_suggester(_args: argparse.Namespace) -> int:
    from portal import suggest

    with session_scope(make_engine()) as session:
        trained = suggest.train(session, actor=None)
    print(f"分类建议模型已重新训练（第 {trained.model_id} 版）：目录和示例 {trained.examples} 条，"
          f"已确认分类的反映问题 {trained.confirmed} 件，用时 {trained.seconds:.1f} 秒。")
    return 0


def _classify(_args: argparse.Namespace) -> int:
    """JSON lines {"id", "text"} on stdin → {"id", "top3"} on stdout, one per line."""
    from portal import suggest

    failed = 0
    with session_scope(make_engine()) as session:
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                top3 = suggest.top_numbers(session, text=str(item["text"]))
            except (ValueError, KeyError, TypeError, PortalError) as exc:
                failed += 1
                print(f"第 {number} 行无法分类（应为含 id 和 text 的 JSON）：{exc}", file=sys.stderr)
                continue
            print(json.dumps({"id": item.get("id"), "top3": top3}, ensure_ascii=False),
                  flush=True)
    return 1 if failed else 0


def _import_12345(args: argparse.Namespace) -> int:
    from pathlib import Path

    from portal import hotline_import

    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件：{path}", file=sys.stderr)
        return 1

    def progress(done: int, total: int) -> None:
        print(f"\r已处理 {done} / {total} 行", end="", file=sys.stderr, flush=True)

    with session_scope(make_engine()) as session:
        checked, outcome = hotline_import.import_file(
            session, actor=None, filename=path.name, data=path.read_bytes(), source=args.source,
            progress=progress)
    print(file=sys.stderr)
    print(f"导入完成：新增 {outcome.imported} 件，跳过已导入 {outcome.skipped} 件。")
    bad = {r.number: r for r in checked if r.errors}
    for batch in outcome.refused_batches:
        print(f"第 {batch['first_row']}–{batch['last_row']} 行这一批未导入：", file=sys.stderr)
        for number in batch["bad_rows"]:
            reasons = "；".join(t(k, **p) for k, p in bad[number].errors)
            print(f"  第 {number} 行：{reasons}", file=sys.stderr)
    return 1 if outcome.refused_batches else 0


def _stats(args: argparse.Namespace) -> int:
    """The offices' figures of a period (by day accepted), as JSON or a Chinese table."""
    from portal import stats

    with session_scope(make_engine()) as session:
        figures = stats.compute(session, start=args.start, end=args.end, unit_name=args.unit)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(stats.text_table(figures))
    return 0


def _bulletin(args: argparse.Namespace) -> int:
    """月通报 (--month 2026-10) or 周总结 (--week 2026-W44): a Word and an Excel file."""
    from portal import bulletin

    period = (bulletin.month_period(args.month) if args.month
              else bulletin.week_period(args.week))
    with session_scope(make_engine()) as session:
        paths = bulletin.write(session, period, Path(args.out),
                               progress=lambda _f, text: print(f"… {text}", file=sys.stderr))
    for path in paths:
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="portal", description="营商环境监督平台 管理命令")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="把数据库迁移到最新版本").set_defaults(func=_migrate)
    sub.add_parser("setup", help="迁移数据库；全新数据库另载入演示数据").set_defaults(func=_setup)
    admin = sub.add_parser("create-admin", help="创建管理员账号（无默认密码）")
    admin.add_argument("username")
    admin.add_argument("--generate", action="store_true", help="自动生成密码并显示一次")
    admin.set_defaults(func=_create_admin)
    sub.add_parser("seed-demo", help="载入演示数据（可重复执行）").set_defaults(func=_seed_demo)
    cat = sub.add_parser("catalogue", help="列出 5 个方面 32 类问题")
    cat.add_argument("--json", action="store_true", help="以 JSON 输出")
    cat.add_argument("--year", type=_year, default=None, help="目录版本年份（默认最新）")
    cat.set_defaults(func=_catalogue)
    quota = sub.add_parser("quotas", help="各单位典型案例指标完成情况")
    quota.add_argument("--year", type=_year, default=None, help="年度（默认为 --date 所在年度）")
    quota.add_argument("--date", type=_day, default=None, help="按哪一天计算（YYYY-MM-DD，默认今天）")
    quota.add_argument("--json", action="store_true", help="以 JSON 输出")
    quota.set_defaults(func=_quotas)
    esc = sub.add_parser("escalate", help="对逾期件发出下一级督办通知（三单一函）")
    esc.add_argument("--today", type=_day, help="按哪一天执行（YYYY-MM-DD，默认今天；今天不是工作日则不执行）")
    esc.add_argument("--dry-run", action="store_true", help="只列出将要发出的通知，不保存")
    esc.add_argument("--force", action="store_true", help="非工作日也执行")
    esc.set_defaults(func=_escalate)
    unrated = sub.add_parser("close-unrated", help="答复后超过规定工作日仍未评价的件按已办结（未评价）结案")
    unrated.add_argument("--today", type=_day, help="按哪一天执行（YYYY-MM-DD，默认今天）")
    unrated.add_argument("--dry-run", action="store_true", help="只统计，不保存")
    unrated.set_defaults(func=_close_unrated)
    notify = sub.add_parser("notify", help="发送待发消息（站内信以外的邮件、短信、工作群机器人）")
    mode = notify.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="发送当前待发的消息后退出（默认）")
    mode.add_argument("--loop", action="store_true", help="持续运行，定时检查待发消息")
    mode.add_argument("--daily", action="store_true", help="每日提醒：红黄牌、自查截止、指标风险")
    mode.add_argument("--digest", action="store_true", help="给选择每日汇总的用户发汇总邮件")
    notify.add_argument("--interval", type=float, default=30.0, help="--loop 的间隔秒数")
    notify.add_argument("--today", type=_day, help="--daily/--digest 按哪一天执行（YYYY-MM-DD）")
    notify.set_defaults(func=_notify)
    back = sub.add_parser("backup", help="在线备份数据库（SQLite 备份接口；PostgreSQL 用 pg_dump）")
    back.add_argument("path", type=Path, help="备份文件路径（不能已存在）")
    back.set_defaults(func=_backup)
    rest = sub.add_parser("restore", help="用备份文件替换 SQLite 数据库（先停止门户）")
    rest.add_argument("path", type=Path, help="备份文件路径")
    rest.set_defaults(func=_restore)
    aud = sub.add_parser("audit", help="操作日志")
    aud_sub = aud.add_subparsers(dest="audit_command", required=True)
    aud_sub.add_parser("verify", help="校验操作日志哈希链").set_defaults(func=_audit_verify)
    sub.add_parser("train-suggester", help="用已确认分类的反映问题重新训练分类建议模型"
                   ).set_defaults(func=_train_suggester)
    sub.add_parser("classify", help="从标准输入读 JSON 行 {id, text}，输出最可能的 3 个问题类别"
                   ).set_defaults(func=_classify)
    hotline = sub.add_parser("import-12345", help="导入 12345 平台导出的工单（.xlsx / .csv）")
    hotline.add_argument("file", help="工单文件")
    hotline.add_argument("--source", default="12345", help="数据来源（使用其保存的列对应关系）")
    hotline.set_defaults(func=_import_12345)
    figures = sub.add_parser("stats", help="统计期间内各单位及全区的受理、办结、按时、满意等指标")
    figures.add_argument("--from", dest="start", type=_day, required=True, help="开始日期 YYYY-MM-DD")
    figures.add_argument("--to", dest="end", type=_day, required=True, help="结束日期 YYYY-MM-DD")
    figures.add_argument("--unit", help="只看一个单位（单位名称）")
    figures.add_argument("--json", action="store_true", help="输出 JSON")
    figures.set_defaults(func=_stats)
    notice = sub.add_parser("bulletin", help="生成月通报或周总结（Word 通报和 Excel 附表）")
    which = notice.add_mutually_exclusive_group(required=True)
    which.add_argument("--month", help="月份，如 2026-10")
    which.add_argument("--week", help="ISO 周，如 2026-W44")
    notice.add_argument("--out", default=".", help="输出目录（默认当前目录）")
    notice.set_defaults(func=_bulletin)
    bench = sub.add_parser("bench", help="性能测试：批量生成大数据库，各页面调用与手写 SQL 下限对比")
    bench.add_argument("--reports", type=_positive, default=1_000_000, help="反映问题件数（默认 1,000,000）")
    bench.add_argument("--units", type=_positive, default=200, help="单位数（默认 200）")
    bench.add_argument("--database-url", help="数据库（默认临时目录中的 SQLite 文件，可重复使用）")
    bench.add_argument("--json", type=Path, help="另存结果为 JSON 文件")
    bench.add_argument("--repeat", type=_positive, default=5, help="每项交替运行次数（取中位数）")
    bench.add_argument("--accounts", type=_count, default=100_000,
                       help="企业账号数（默认 100,000；登录耗时不应随之增长）")
    bench.add_argument("--escalate-items", type=_positive, default=20_000,
                       help="逾期督办试运行的逾期件数（默认 20,000）")
    bench.add_argument("--no-escalate", action="store_true", help="不测逾期督办试运行")
    bench.add_argument("--notify-messages", type=_count, default=2_000,
                       help="消息发送测试的短信条数（默认 2,000；0 为不测）")
    bench.add_argument("--intake-seconds", type=_count, default=20,
                       help="并发受理测试时长（秒，默认 20；0 为不测）")
    bench.add_argument("--intake-threads", type=_positive, default=8, help="并发受理线程数（默认 8）")
    bench.add_argument("--no-render", action="store_true", help="不测整页渲染（AppTest）")
    bench.add_argument("--explain", action="store_true", help="打印各查询及其下限的执行计划")
    bench.set_defaults(func=_bench)
    return parser


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("须为正整数")
    return number


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("须为非负整数")
    return number


def _bench(args: argparse.Namespace) -> int:
    from portal import bench

    bench.main(reports_count=args.reports, units=args.units, database_url=args.database_url,
               json_path=args.json, repeat=args.repeat, escalate=not args.no_escalate,
               accounts=args.accounts, escalate_items=args.escalate_items,
               intake_seconds=args.intake_seconds, intake_threads=args.intake_threads,
               renders=not args.no_render, explain_plans=args.explain,
               notify_messages=args.notify_messages)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except JobRunning as exc:  # another node's cron run: skipping is the expected outcome
        print(t(exc.key, **exc.params))
        return 0
    except PortalError as exc:
        print(t(exc.key, **exc.params), file=sys.stderr)
        return 1
