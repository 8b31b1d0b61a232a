from datetime import date, datetime

from portal.i18n import MESSAGES, format_date, t


def test_dates_read_the_chinese_way_by_default():
    assert format_date(date(2026, 3, 31)) == "2026年3月31日"
    assert format_date(date(2026, 3, 31), "en") == "31 Mar 2026"


def test_parameters_are_formatted_in_the_chosen_language():
    until = datetime(2026, 11, 23, 9, 15)
    assert "2026年11月23日 09:15" in t("error.account_locked", until=until)
    assert "23 Nov 2026 09:15" in t("error.account_locked", "en", until=until)


def test_every_message_has_both_languages():
    assert all(zh and en for zh, en in MESSAGES.values())


def test_every_error_key_raised_in_the_package_is_in_the_catalogue(project_root):
    import re

    source = "\n".join(p.read_text(encoding="utf-8") for p in (project_root / "portal").rglob("*.py"))
    keys = set(re.findall(r'"(error\.[a-z_]+)"', source))
    assert keys and keys <= set(MESSAGES)
