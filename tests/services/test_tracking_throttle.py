"""Query-code guessing throttled per tracking number and per client in the database, while the
filer with the right code still gets in (issue #10, finding 7)."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from portal import clock, reports, throttle
from portal.models import Throttle
from tests.services.test_reports import valid_input


@pytest.fixture
def frozen_time(monkeypatch):
    moment = {"now": datetime(2026, 11, 23, 9, 0)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def filed(session, frozen_time):
    return reports.file_report(session, actor=None, data=valid_input())


def guess(session, number, client, code="AAAAAAAA"):
    with pytest.raises(reports.TrackingFailed) as error:
        reports.track(session, tracking_no=number, query_code=code, client=client)
    return error.value


def test_fresh_browsers_do_not_escape_the_per_number_throttle(session, filed, frozen_time):
    for n in range(5):  # a fresh browser context per guess
        assert guess(session, filed.tracking_no, f"context-{n}").key == "error.tracking_failed"
    refused = guess(session, filed.tracking_no, "context-new", filed.query_code)
    assert refused.key == "error.tracking_throttled"
    assert refused.params["until"] == frozen_time["now"] + timedelta(seconds=5)


def test_the_right_code_gets_in_once_the_short_lock_has_passed(session, filed, frozen_time):
    for n in range(5):
        guess(session, filed.tracking_no, f"context-{n}")
    frozen_time["now"] += timedelta(seconds=5)
    view = reports.track(session, tracking_no=filed.tracking_no, query_code=filed.query_code,
                         client="the-filer")
    assert view.tracking_no == filed.tracking_no
    assert throttle.failures(session, throttle.TRACK_NUMBER, filed.tracking_no) == 0


def test_each_further_wrong_code_doubles_the_lock_up_to_ten_minutes(session, filed, frozen_time):
    waits = []
    for n in range(14):
        guess(session, filed.tracking_no, f"context-{n}")
        until = throttle.locked_until(session, throttle.TRACK_NUMBER, filed.tracking_no)
        if until:
            waits.append((until - frozen_time["now"]).total_seconds())
            frozen_time["now"] = until
    assert waits == [5, 10, 20, 40, 80, 160, 320, 600, 600, 600]


def test_one_client_guessing_across_numbers_is_held_back(session, frozen_time):
    for n in range(10):
        assert guess(session, f"YS2026-9{n:05d}", "one-client").key == "error.tracking_failed"
    assert guess(session, "YS2026-955555", "one-client").key == "error.tracking_throttled"
    assert guess(session, "YS2026-955555", "another-client").key == "error.tracking_failed"


def test_unknown_numbers_are_throttled_like_real_ones(session, filed, frozen_time):
    for n in range(5):
        guess(session, "YS2026-999999", f"c{n}")
        guess(session, filed.tracking_no, f"d{n}")
    unknown = guess(session, "YS2026-999999", "e")
    real = guess(session, filed.tracking_no, "f")
    assert (unknown.key, unknown.params) == (real.key, real.params)


def test_no_client_address_is_stored(session, filed, frozen_time):
    guess(session, filed.tracking_no, "ip:198.51.100.23")
    keys = " ".join(session.exec(select(Throttle.key)).all())
    assert "198.51.100.23" not in keys


def test_counters_of_a_day_ago_are_forgotten(session, frozen_time):
    for n in range(3):
        guess(session, f"YS2026-8{n:05d}", f"old-client-{n}")
    frozen_time["now"] += timedelta(days=1, seconds=1)
    guess(session, "YS2026-700000", "new-client")
    keys = session.exec(select(Throttle.key)).all()
    assert sorted(keys) == sorted(["YS2026-700000", throttle.client_key("new-client")])
