"""Files reports in a loop until killed: the victim of the SIGKILL fault test."""

import os
import sys

from portal import reports
from portal.attachments import Upload
from portal.db import make_engine, session_scope
from tests.services.test_reports import valid_input

PHOTO = b"\x89PNG\r\n\x1a\n" + os.urandom(300_000)  # a large write: many pages per filing


def main(url: str) -> None:
    engine = make_engine(url)
    n = 0
    while True:
        with session_scope(engine) as session:
            reports.file_report(session, actor=None, data=valid_input(
                title=f"断电测试 {n}", uploads=[Upload("现场.png", PHOTO)]))
        n += 1
        if n == 3:
            print("filing", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
