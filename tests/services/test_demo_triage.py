from sqlmodel import select

from portal import demo, demo_triage, duplicates, knowledge
from portal.models import Report
from portal.users import load_actor


def test_the_demo_has_knowledge_entries_and_a_look_alike_report(session):
    demo.seed_demo(session)
    demo.seed_demo_reports(session)
    assert demo_triage.seed_demo_triage(session) == len(demo_triage.DEMO_ENTRIES)
    supervisor = load_actor(session, username="supervisor")
    rows, total = knowledge.public_faq(session)
    assert total == len(demo_triage.DEMO_ENTRIES)
    look_alike = session.exec(select(Report).where(
        Report.title == demo_triage.LOOK_ALIKE[0])).one()
    found = duplicates.similar_reports(session, actor=supervisor, report_id=look_alike.id)
    assert found and found[0].title == "不动产登记需要开具无法开具的证明"
    assert demo_triage.seed_demo_triage(session) == 0
