"""Time a 12345 import of N generated 工单 into a fresh SQLite database (default 100,000 rows).

    .venv/bin/python scripts/bench_import_12345.py [--rows 100000] [--csv]
"""

import argparse
import csv
import io
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal import hotline_import, migrate  # noqa: E402
from portal.db import make_engine, session_scope  # noqa: E402

HEADER = ["工单编号", "受理时间", "来电人", "联系电话", "诉求类型", "诉求内容", "涉及单位", "办结时限"]
TOPICS = ["小区门前道路施工占道，影响企业车辆进出", "办理施工许可多次被要求补材料", "企业退税申请两个月没有答复",
          "执法人员检查后要求购买指定品牌灭火器", "园区路灯损坏多日无人维修"]
UNITS = ["区住建局", "区发改局", "区市场监管局", "区财政局", ""]


def rows(n: int) -> list[list]:
    start = datetime(2026, 1, 1, 8, 0)
    return [[f"GD{i:010d}", start + timedelta(minutes=3 * i), "孙先生", f"139{i % 10**8:08d}",
             "投诉", f"{TOPICS[i % 5]}（第{i}号），希望尽快处理。", UNITS[i % 5],
             (start + timedelta(minutes=3 * i, days=7)).date().isoformat()] for i in range(n)]


def workbook(data: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(data: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows([[v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else v
                       for v in row] for row in data])
    return buffer.getvalue().encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--csv", action="store_true", help="a CSV file instead of .xlsx")
    args = parser.parse_args()
    data = rows(args.rows)
    name = "orders.csv" if args.csv else "orders.xlsx"
    content = csv_bytes(data) if args.csv else workbook(data)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.sqlite3")
        migrate.upgrade(engine)
        with session_scope(engine) as session:
            started = time.perf_counter()
            header, table = hotline_import.read_table(name, content)
            read = time.perf_counter() - started
            checked = hotline_import.check_rows(session, header=header, rows=table,
                                                mapping=hotline_import.guess_mapping(header))
            check = time.perf_counter() - started - read
            outcome = hotline_import.import_rows(session, actor=None, checked=checked)
            total = time.perf_counter() - started
            started = time.perf_counter()
            again = hotline_import.import_rows(session, actor=None, checked=hotline_import.check_rows(
                session, header=header, rows=table, mapping=hotline_import.guess_mapping(header)))
            repeat = time.perf_counter() - started
        engine.dispose()
    print(f"{args.rows} rows ({name}, {len(content) / 1e6:.1f} MB): read {read:.1f} s, "
          f"check {check:.1f} s, import {total - read - check:.1f} s, total {total:.1f} s; "
          f"imported {outcome.imported}")
    print(f"re-import of the same file: {repeat:.1f} s, imported {again.imported}, "
          f"skipped {again.skipped}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
