"""`python -m portal …` (also installed as `portal`): migrations, accounts, demo data, exports."""

import argparse
import getpass
import json
import sys
from datetime import date

from portal import catalogue, clock, demo, demo_triage, escalation, migrate, users, workdays
from portal.db import make_engine, session_scope
from portal.errors import PortalError
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
        campaigns = demo.seed_demo_selfchecks(session)
        case_count = demo.seed_demo_cases(session)
        entry_count = demo_triage.seed_demo_triage(session)
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


def _day(text: str) -> date:
    """An argparse type: YYYY-MM-DD, with a Chinese message when it is not."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from exc


def _escalate(args: argparse.Namespace) -> int:
    today = args.today or clock.today()
    with session_scope(make_engine()) as session:
        if not args.today and not workdays.is_working_day(today, session=session):
            print(f"{today.isoformat()} 不是工作日，未执行逾期督办。")
            return 0
        issued = escalation.escalate(session, today=today, dry_run=args.dry_run)
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
                                            "days_left": c["days_left"]}
                                           for c in r["checkpoints"]]} for r in rows],
                         ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        marks = "　".join(f"{c['date']} {c['status']}" for c in r["checkpoints"])
        print(f"{r['unit']:<10} 案例 {r['cases']}（处分 {r['sanctioned']}）　{marks}")
    return 0


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="portal", description="营商环境监督平台 管理命令")
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
    cat.add_argument("--year", type=int, default=None, help="目录版本年份（默认最新）")
    cat.set_defaults(func=_catalogue)
    quota = sub.add_parser("quotas", help="各单位典型案例指标完成情况")
    quota.add_argument("--year", type=int, default=None, help="年度（默认为 --date 所在年度）")
    quota.add_argument("--date", type=_day, default=None, help="按哪一天计算（YYYY-MM-DD，默认今天）")
    quota.add_argument("--json", action="store_true", help="以 JSON 输出")
    quota.set_defaults(func=_quotas)
    esc = sub.add_parser("escalate", help="对逾期件发出下一级督办通知（三单一函）")
    esc.add_argument("--today", type=_day, help="按哪一天执行（YYYY-MM-DD，默认今天；今天不是工作日则不执行）")
    esc.add_argument("--dry-run", action="store_true", help="只列出将要发出的通知，不保存")
    esc.set_defaults(func=_escalate)
    sub.add_parser("train-suggester", help="用已确认分类的反映问题重新训练分类建议模型"
                   ).set_defaults(func=_train_suggester)
    sub.add_parser("classify", help="从标准输入读 JSON 行 {id, text}，输出最可能的 3 个问题类别"
                   ).set_defaults(func=_classify)
    hotline = sub.add_parser("import-12345", help="导入 12345 平台导出的工单（.xlsx / .csv）")
    hotline.add_argument("file", help="工单文件")
    hotline.add_argument("--source", default="12345", help="数据来源（使用其保存的列对应关系）")
    hotline.set_defaults(func=_import_12345)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except PortalError as exc:
        print(t(exc.key, **exc.params), file=sys.stderr)
        return 1
