"""Demo data for triage insight: 知识库 entries, a look-alike of a demo report, a 12345 mapping."""

from sqlmodel import Session, select

from portal import hotline_import, knowledge, reports
from portal.models import ImportMapping, KnowledgeEntry, Unit
from portal.users import load_actor

DEMO_ENTRIES = (
    ("办理食品经营许可证需要提交哪些材料？",
     "营业执照、法定代表人身份证明、经营场所使用证明、主要设备设施布局和食品安全管理制度；"
     "可在政务服务网下载一次性告知清单，材料齐全当场受理。",
     "《食品经营许可和备案管理办法》", "区市场监管局", 15),
    ("企业厂房不动产登记，原开发商已注销开不出证明怎么办？",
     "可由企业提交情况说明和市场监管部门出具的注销证明，经核实后按历史遗留问题办理登记，"
     "不再要求开具原开发商证明。", "《不动产登记暂行条例实施细则》", "区住建局", 7),
    ("政府投资项目的工程款一般多久支付？",
     "按合同约定的节点支付；经审核无误的进度款应在 30 日内支付，逾期未付可向区发改局反映。",
     "《保障中小企业款项支付条例》第八条", "区发改局", 18),
    ("执法检查能不能要求企业购买指定品牌的消防器材？",
     "不能。消防产品只要符合国家标准、具有合格证明即可，任何单位不得指定品牌、销售单位。",
     "《消防法》第二十四条", "区应急局", 24),
    ("申请稳岗补贴需要满足什么条件？",
     "依法参加失业保险并足额缴费、上年度未裁员或裁员率低于规定比例的企业均可申请，"
     "通过人社网上办事大厅申报，无需另交纸质材料。", "稳岗返还政策通知", "区财政局", 23),
)
LOOK_ALIKE = ("不动产登记要原开发商证明开不出来",
              "我们公司办理厂房不动产登记，窗口还是要原开发商出证明，开发商早已注销，根本开不出来。")


def seed_demo_triage(session: Session) -> int:
    """Only into an empty 知识库; returns the number of entries added."""
    if session.exec(select(KnowledgeEntry.id).limit(1)).first() is not None:
        return 0
    supervisor = load_actor(session, username="supervisor")
    if supervisor is None:
        return 0
    units = dict(session.exec(select(Unit.name, Unit.id)).all())
    for question, answer, basis, unit, category in DEMO_ENTRIES:
        knowledge.create(session, actor=supervisor, data=knowledge.EntryInput(
            question=question, answer=answer, policy_basis=basis, unit_id=units.get(unit),
            category_number=category))
    reports.file_report(session, actor=None, data=reports.ReportInput(
        kind="undone", title=LOOK_ALIKE[0], description=LOOK_ALIKE[1], contact_name="周强",
        contact_mobile="13847500002", company_name="通辽市恒达科技有限公司",
        concerned_unit_id=units.get("区住建局"), category_number=7))
    if session.get(ImportMapping, hotline_import.DEFAULT_SOURCE) is None:
        hotline_import.save_mapping(session, actor=supervisor,
                                    source=hotline_import.DEFAULT_SOURCE,
                                    mapping=hotline_import.guess_mapping(
                                        list(hotline_import.FIELD_LABELS.values())))
    return len(DEMO_ENTRIES)
