import json
import re
from pathlib import Path

import pytest

from portal import catalogue
from portal.cli import main

DOMAIN = Path(__file__).resolve().parents[3] / "shared" / "DOMAIN.md"


def domain_categories() -> list[tuple[str, int, str]]:
    """(area, number, text) as DOMAIN.md, the specification of record, states them."""
    text = DOMAIN.read_text(encoding="utf-8")
    section = text.split("## The 32 categories", 1)[1].split("\n## ", 1)[0]
    rows, area = [], None
    for line in section.splitlines():
        if m := re.match(r"^\d\. (\S+) \(", line):
            area = m.group(1)
        elif m := re.match(r"^\s+(\d+)\. (.+)$", line):
            rows.append((area, int(m.group(1)), m.group(2).strip()))
    return rows


def test_catalogue_has_5_areas_and_32_numbered_categories(session):
    entries = catalogue.list_categories(session)
    assert [e.number for e in entries] == list(range(1, 33))
    assert list(dict.fromkeys(e.area for e in entries)) == [
        "职责落实", "依法行政", "工作效能", "规范执法", "廉洁自律"]
    assert entries[0].text == "对上级重大决策部署和文件要求执行不到位的"
    assert entries[31].text == "其他损害营商环境的问题"


@pytest.mark.skipif(not DOMAIN.exists(), reason="shared/DOMAIN.md is not beside the checkout")
def test_catalogue_texts_are_exactly_those_of_domain_md(session):
    expected = domain_categories()
    assert len(expected) == 32
    assert [(e.area, e.number, e.text) for e in catalogue.list_categories(session)] == expected


def test_catalogue_version_in_force_is_the_newest_not_after_the_year(session):
    assert catalogue.effective_year(session, year=2026) == 2021
    assert catalogue.catalogue_years(session) == [2021]


def test_cli_prints_catalogue_as_json(engine, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert main(["catalogue", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 32
    assert rows[13] == {"area": "工作效能", "number": 14,
                        "text": "办事拖拉、推诿扯皮、工作方法简单粗暴，有意刁难管理服务对象的"}
