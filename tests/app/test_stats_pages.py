"""The figures pages (#13) on a demo database with reports: 统计分析, 日调度 and the unit home."""

import re
from collections.abc import Callable, Iterator

import pytest
from streamlit.testing.v1 import AppTest

from portal import demo, migrate
from portal.db import make_engine, session_scope
from portal.settings import get_settings
from portal.ui import context
from tests.app.conftest import ROOT, TIMEOUT, texts


@pytest.fixture(scope="module")
def reports_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('statsdb') / 'stats.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        demo.seed_demo(session)
        demo.seed_demo_reports(session)
    engine.dispose()
    return url


@pytest.fixture
def open_page(reports_db_url: str, monkeypatch: pytest.MonkeyPatch
              ) -> Iterator[Callable[..., AppTest]]:
    monkeypatch.setenv("DATABASE_URL", reports_db_url)
    get_settings.cache_clear()
    context.engine.clear()
    monkeypatch.chdir(ROOT)

    def run(script: str, username: str | None = None) -> AppTest:
        app = AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT)
        app.session_state["lang"] = "zh"
        if username:
            app.session_state["authentication_status"] = True
            app.session_state["username"] = username
        return app.run()

    yield run
    context.engine.clear()


def test_the_dashboard_shows_cards_with_num_den_and_every_table(open_page):
    app = open_page("pages/stats_dashboard.py", "supervisor")
    assert not app.exception
    content = texts(app)
    labels = [m.label for m in app.metric]
    assert {"受理量", "办结率", "按时响应率", "按时办结率", "满意率", "首次满意率", "差评整改率",
            "解决率", "提醒单", "督办单"} <= set(labels)
    closing = next(m for m in app.metric if m.label == "办结率").value
    assert re.fullmatch(r"\d+\.\d%|样本不足|—", closing)  # short: never cut off at 1366 px
    assert re.search(r"\d+ / \d+ 件", content)  # num/den beneath each rate
    assert "办结量 ÷ 受理量" in content  # the one-line definition under the card
    for title in ("各单位指标", "各方面指标", "单位 × 方面", "逾期（红牌）件"):
        assert title in content
    assert "区发改局" in content
    buttons = [b.proto.label for b in app.get("download_button")]
    assert "下载台账 Excel" in buttons
    assert any(label.startswith("下载 Excel：各单位指标") for label in buttons)


def test_the_period_picker_switches_to_the_year_and_a_custom_range(open_page):
    app = open_page("pages/stats_dashboard.py", "discipline")
    app.radio(key="stats_period").set_value("year").run()
    assert not app.exception
    assert "全区：2026年1月1日 至" in texts(app)
    app.radio(key="stats_period").set_value("custom").run()
    app.radio(key="stats_trend_by").set_value("week").run()
    assert not app.exception
    assert [d.label for d in app.date_input] == ["开始日期", "结束日期"]


def test_daily_dispatch_opens_for_the_office(open_page):
    app = open_page("pages/dispatch.py", "supervisor")
    assert not app.exception
    content = texts(app)
    assert "日调度" in content
    labels = [m.label for m in app.metric]
    assert labels == ["今日新件", "今日到期", "下一工作日到期", "红牌件", "今晨发出的通知"]


def test_a_unit_home_shows_its_figures_beside_the_district(open_page):
    app = open_page("pages/home.py", "unit_fgj")
    assert not app.exception
    content = texts(app)
    assert "本单位本年指标与全区对比" in content
    assert "本单位" in content and "全区" in content and "办结率" in content
    assert "典型案例指标：" in content  # 区发改局 carries the quota


@pytest.mark.parametrize("script", ["pages/stats_dashboard.py", "pages/dispatch.py"])
@pytest.mark.parametrize("username", ["unit_fgj", "company", "admin"])
def test_figures_pages_refuse_other_roles(open_page, script, username):
    app = open_page(script, username)
    assert not app.exception
    assert "您的账号没有访问本页面的权限。" in texts(app)
    assert not app.dataframe


def test_the_public_board_shows_a_year_or_a_month_with_num_den(open_page):
    app = open_page("pages/board.py")
    assert not app.exception
    labels = [m.label for m in app.metric]
    assert labels == ["受理量", "办结率", "按时办结率", "满意率", "自查已提交"]
    assert "全区合计（按受理日期）" in texts(app)
    frame = app.dataframe[0].value
    assert list(frame.columns) == ["单位", "受理量", "办结率", "按时办结率", "满意率", "自查已提交",
                                   "典型案例指标"]
    assert "区发改局" in set(frame["单位"])
    app.selectbox(key="board_month").set_value(11).run()
    assert not app.exception
    assert "样本不足" in app.dataframe[0].value.to_csv() or "—" in app.dataframe[0].value.to_csv()


def test_the_dashboard_writes_a_bulletin_with_progress_and_offers_both_files(open_page):
    app = open_page("pages/stats_dashboard.py", "supervisor")
    app.text_input(key="bulletin_month").set_value("2026-11")
    next(b for b in app.get("form_submit_button") if b.proto.label == "生成通报").click().run()
    assert not app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert "下载 Word 通报" in labels and "下载 Excel 附表" in labels
    app.radio(key="bulletin_kind").set_value("week")
    app.text_input(key="bulletin_week").set_value("2026-W99")
    next(b for b in app.get("form_submit_button") if b.proto.label == "生成通报").click().run()
    assert "的格式应为 2026-W44。" in texts(app)  # the typed value is shown escaped


def test_the_dashboard_ranks_units_by_score_with_a_breakdown(open_page):
    app = open_page("pages/stats_dashboard.py", "discipline")
    assert not app.exception
    content = texts(app)
    assert "考核评分" in content and "得分明细" not in [s.value for s in app.subheader]
    breakdown = app.dataframe[-1].value
    assert list(breakdown.columns) == ["项目", "得分/扣分", "计算依据"]
    assert "办结率" in set(breakdown["项目"]) and "红牌（提醒单）" in set(breakdown["项目"])
    app.selectbox(key="scoring_quarter").set_value(4).run()
    assert not app.exception


def test_an_admin_saves_a_year_s_scoring_rules_and_bad_weights_are_refused(open_page):
    app = open_page("pages/admin_scoring.py", "admin")
    assert not app.exception
    app.number_input(key="scoring_rules_year").set_value(2031).run()
    assert "该年度尚未单独设置" in texts(app)
    app.number_input(key="scoring_w_resolution_2031").set_value(50.0)
    next(b for b in app.get("form_submit_button") if b.proto.label == "保存细则").click().run()
    assert "合计 100 分" in texts(app)
    app.number_input(key="scoring_w_resolution_2031").set_value(10.0)
    app.number_input(key="scoring_d_transfer_2031").set_value(8.0)
    next(b for b in app.get("form_submit_button") if b.proto.label == "保存细则").click().run()
    assert not app.exception
    assert "该年度尚未单独设置" not in texts(app)
    assert app.number_input(key="scoring_d_transfer_2031").value == 8.0


def test_the_unit_table_sorts_by_the_chosen_figure_with_the_volume_guard(open_page):
    app = open_page("pages/stats_dashboard.py", "supervisor")
    app.radio(key="stats_period").set_value("year").run()
    app.selectbox(key="stats_figure").set_value("accepted").run()
    assert not app.exception
    table = next(f.value for f in app.dataframe if "排名" in f.value.columns)
    accepted = list(table["受理量"])
    assert accepted == sorted(accepted, reverse=True) and list(table["排名"])[0] == 1
    app.selectbox(key="stats_figure").set_value("satisfaction").run()
    table = next(f.value for f in app.dataframe if "排名" in f.value.columns)
    ranks = list(table["排名"])
    unranked = [r for r in ranks if r == "样本不足，不排名"]
    assert ranks[len(ranks) - len(unranked):] == unranked  # the guarded ones last
    assert not table.isna().any().any()
