"""Top-1 and top-3 accuracy of the category suggester on the held-out reports.

The held-out reports (tests/data/suggester_heldout.tsv) are never used in training; a test
checks that none of them appears in the shipped examples. Trains a fresh model from the
catalogue and the shipped examples in an in-memory database, like a new installation.

    .venv/bin/python scripts/eval_suggester.py [--verbose]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal import migrate, suggest  # noqa: E402
from portal.db import make_engine, session_scope  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "suggester_heldout.tsv"


def heldout() -> list[tuple[int, str]]:
    rows = []
    for line in HELDOUT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            number, text = line.split("\t", 1)
            rows.append((int(number), text.strip()))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    engine = make_engine("sqlite:///:memory:")
    migrate.upgrade(engine)
    rows = heldout()
    with session_scope(engine) as session:
        started = time.perf_counter()
        suggest.train(session, actor=None)
        train_seconds = time.perf_counter() - started
        suggest.top_numbers(session, text="预热")  # first call loads jieba's dictionary
        top1 = top3 = 0
        timings = []
        for number, text in rows:
            started = time.perf_counter()
            ranked = suggest.top_numbers(session, text=text)
            timings.append((time.perf_counter() - started) * 1000)
            top1 += ranked[0] == number
            top3 += number in ranked
            if args.verbose and ranked[0] != number:
                print(f"{number:>2} → {ranked}  {text}")
    n = len(rows)
    print(f"held-out reports: {n} ({len({k for k, _ in rows})} categories)")
    print(f"top-1: {top1}/{n} = {top1 / n:.1%}")
    print(f"top-3: {top3}/{n} = {top3 / n:.1%}")
    print(f"training: {train_seconds:.1f} s; suggestion: median {statistics.median(timings):.1f} ms,"
          f" max {max(timings):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
