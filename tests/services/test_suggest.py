"""Category suggestion: held-out data kept apart, traditional characters, feedback by retraining."""

from pathlib import Path

import pytest

from portal import catalogue, report_flow, reports, suggest
from portal.errors import PermissionDenied, ValidationError
from portal.models import StoredSuggester
from portal.roles import Role
from portal.suggest import text as chinese
from portal.suggest.model import SuggesterModel
from tests.factories import make_user, unit_id
from tests.services.test_reports import valid_input

HELDOUT = Path(__file__).resolve().parent.parent / "data" / "suggester_heldout.tsv"


def heldout() -> list[tuple[int, str]]:
    rows = []
    for line in HELDOUT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            number, text = line.split("\t", 1)
            rows.append((int(number), text.strip()))
    return rows


def test_the_heldout_set_covers_every_category_with_several_reports():
    rows = heldout()
    assert len(rows) >= 150
    per_category = {n: sum(1 for m, _ in rows if m == n) for n in range(1, 33)}
    assert min(per_category.values()) >= 4


def test_no_heldout_report_appears_in_the_training_data(session):
    training = suggest.training_set(session)
    seen = {chinese.compact(t) for t in training.texts}
    leaked = [text for _, text in heldout() if chinese.compact(text) in seen]
    assert leaked == []
    # nor as a part of a training text, nor the other way round
    for _, text in heldout():
        key = chinese.compact(text)
        assert not any(key in s or (len(s) > 12 and s in key) for s in seen), text


def test_traditional_characters_read_as_simplified():
    assert chinese.normalise("審批太慢，辦事拖拉，亂罰款") == "审批太慢,办事拖拉,乱罚款"
    assert "吃拿卡要" in chinese.words("工作人員吃拿卡要")
    assert "招投标" in chinese.words("违规插手招投标")


def test_suggest_gives_three_distinct_categories_with_matched_words(session):
    found = suggest.suggest(session, text="窗口工作人员说必须找他们指定的中介公司代办，不然审批不给过")
    assert len(found) == 3 and len({s.number for s in found}) == 3
    assert found[0].number == 5
    assert "中介" in found[0].words
    assert found[0].text == catalogue.list_categories(session)[4].text
    assert found[0].score >= found[1].score >= found[2].score


def test_the_same_complaint_in_traditional_characters_gets_the_same_suggestion(session):
    simplified = suggest.top_numbers(session, text="执法人员来店里吃饭不给钱，还要购物卡")
    traditional = suggest.top_numbers(session, text="執法人員來店裡吃飯不給錢，還要購物卡")
    assert simplified[0] == traditional[0] == 25


def test_an_empty_text_is_refused(session):
    with pytest.raises(ValidationError):
        suggest.suggest(session, text="   ")


def test_a_stored_model_ranks_like_the_trained_one(session):
    data = suggest.training_set(session)
    model = SuggesterModel.fit(data.texts, data.labels, data.weights)
    loaded = SuggesterModel.from_bytes(model.to_bytes())
    text = "路上设卡拦我们的货车，交了钱才放行"
    assert [r.number for r in loaded.rank(text)] == [r.number for r in model.rank(text)]
    assert loaded.rank(text)[0].score == pytest.approx(model.rank(text)[0].score, rel=1e-4)


def test_only_the_office_or_an_admin_may_retrain(session):
    unit = make_user(session, Role.UNIT)
    with pytest.raises(PermissionDenied):
        suggest.train(session, actor=unit)


def test_a_confirmed_category_changes_future_suggestions_after_retraining(session):
    supervisor = make_user(session, Role.SUPERVISOR)
    question = "小区门口的共享单车乱停乱放，把企业的货车通道堵死了"
    before = suggest.top_numbers(session, text=question)
    assert before[0] != 32
    phrasings = ["共享单车乱停乱放堵住了厂区大门，反映多次没有彻底解决",
                 "园区里共享单车堆成山，货车进不来，整改一次又回到老样子",
                 "门口共享单车乱停放的问题拖了半年，解决得不彻底",
                 "共享单车把消防通道堵了，说管一管也没管好"]
    for phrasing in phrasings:
        filed = reports.file_report(session, actor=None, data=valid_input(
            title="共享单车乱停放", description=phrasing))
        report_flow.assign(session, actor=supervisor, report_id=filed.report_id,
                           unit_id=unit_id(session, "区住建局"), category_number=32)
    # still the old model until someone retrains
    assert suggest.top_numbers(session, text=question) == before
    trained = suggest.train(session, actor=supervisor)
    assert trained.confirmed >= 4
    assert session.get(StoredSuggester, trained.model_id).trained_by_id == supervisor.user_id
    assert suggest.top_numbers(session, text=question)[0] == 32
    assert suggest.latest_training(session)["confirmed"] == trained.confirmed
