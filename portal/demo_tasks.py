"""Demo data of the key-task ledger (#14): the 37 重点任务 of seed 001 (松山新区营商环境建设提升年工作方案)
with their real 牵头单位, 责任单位 and 完成时限, moved to the current year, and a year of progress
reports lived through by the services under a borrowed clock: most tasks due before today are
done, two are past their deadline unfinished, one missed a report, two wait for the office's
review, one was returned, and five have not yet sent the report due in the next days.
Idempotent: only into an empty ledger."""

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from portal import clock, supervised, tasks
from portal.demo import run_the_ladder
from portal.demo_history import _clock_at
from portal.models import KeyTask, Unit
from portal.roles import Actor
from portal.users import load_actor

SOURCE = "松山新区营商环境建设提升年工作方案"
ISSUED = (3, 12)  # the plan's date: the tasks start then
# Seed names → the demo's unit list; units the list lacks are added (never with a quota).
ALIASES = {"自然资源分局": "区自然资源分局", "区科技创新和营商局": "区科创营商局", "社保分局": "区社保分局"}
NEW_UNITS = ("区工管委办公室", "区社保分局")

# (number, 专项行动, title, content, 牵头单位, 责任单位, month of the 完成时限 (its last day))
DEMO_TASKS = (
    ('1-1', '办事方便', '持续向乡镇(街道)、村(社区)赋权',
     '再向乡镇(街道)、村(社区)下放50项权责类、便民服务类事项。',
     '区科创营商局', '区直各相关部门、街道办事处', 10),
    ('1-2', '办事方便', '推进工程建设项目审批深层次改革',
     '工程建设项目从立项到竣工验收总体审批时限压缩至60个工作日以内(特殊工程除外),社会投资小型仓库厂房等5类项目实现开工前“只提交一次材料”。',
     '区科创营商局', '区发改局、自然资源分局、区住建局', 10),
    ('1-3', '办事方便', '推行政务服务“容缺受理”和“告知承诺”',
     '至少推出100项“容缺受理”、100项“告知承诺”事项,同步调整完善办事指南,监督推动在各领域全面落实。',
     '区科创营商局、区政法委', '区直相关单位', 6),
    ('1-4', '办事方便', '深入推进惠企政策兑现',
     '建成“企业e服务专区”,实现惠企政策专区发布、推送、解读、申报、兑付等全程网办。设立“政策兑现单一窗口”,实现“一次申报、一次受理、一次兑现”闭环办理。',
     '区科创营商局', '高新税务局、区发改局、区财政局、区社会事业发展局、区市场监管局、社保分局等', 10),
    ('1-5', '办事方便', '深化“一件事一次办”改革',
     '重点推进置业、医疗等自然人“一件事”和准入、经营、变更、注销等法人“一件事”改革。',
     '区科创营商局', '区市场监管局、区社会事业发展局等', 8),
    ('1-6', '办事方便', '推进“综合窗口”改革',
     '各类政务服务大厅建立“前台综合受理、后台分类审批、统一窗口出件”的审批模式。',
     '区科创营商局', '各级各类政务服务大厅主管单位', 6),
    ('1-7', '办事方便', '推进数据共享应用',
     '“网上办事”通过自动识别实现身份证号码、家庭住址等26项基本信息免填写,逐步实现办事零填报、材料零提交。重点推进项目备案、不动产抵押权注销登记、个体工商户登记和新办食品经营许可证等10项业务实现“秒办”。',
     '区科创营商局', '区发改局、区市场监管局、区住建局等', 12),
    ('1-8', '办事方便', '推进政务服务中心标准化建设',
     '高标准落实《政务服务“好差评”管理办法》和首问负责、一次性告知、否定备案等6项制度,重点服务不会上网、不熟悉用网和出行不便等特定申请人。',
     '区科创营商局', '区直相关单位', 12),
    ('1-9', '办事方便', '推动企业开办和注销便利化',
     '一般性企业开办实现全程“不见面”,开办时间压缩至1个工作日以内。企业简易注销登记公告时间压缩为20天。',
     '区市场监管局', '区社会事业发展局、高新税务局等', 12),
    ('1-10', '办事方便', '推动不动产登记业务便利化',
     '实现网上登记预约、申请、预审和登记进度查询。',
     '区住建局', '区直相关单位', 12),
    ('1-11', '办事方便', '全面开展电子监察',
     '建立“红黄牌”规则,完善预警纠错、投诉处理、辅助决策等功能,实现政务服务机关、事项、流程电子监察全覆盖。推动各级各类政务(便民)服务机构电子监控系统全覆盖。',
     '区科创营商局', '区直相关单位', 12),
    ('1-12', '办事方便', '整合营商环境综合服务平台',
     '建立畅通有效的政企沟通机制,采取多种方式及时听取市场主体反映和诉求,受理营商环境问题投诉和举报,将原“8890政务便民综合服务平台”整合并入“12345服务热线”,与“好差评”深度融合,深化“部门(地区)办理、群众评价、媒体发布、社会监督”工作机制。',
     '区科创营商局、区工管委办公室', '区直相关单位', 12),
    ('2-1', '法治良好', '建立法治化营商环境建设体系',
     '制定加强法治化营商环境建设工作措施,企业家沟通交流机制、线索移送办理机制、督查问责机制,强化执法司法制约监督机制。建立系统完备的法治化营商环境制度体系、齐抓共管的实施体系、行之有效的监督体系和坚强有力的保障体系。',
     '区政法委', '区法庭、区检察室、区公安分局', 12),
    ('2-2', '法治良好', '依法保护企业家人身财产安全',
     '严格执行省涉企业及其经营者刑事案件犯罪办案指引,严厉打击故意伤害、绑架、非法拘禁、侮辱、诽谤等侵犯企业家人身权利犯罪,审慎适用羁押性强制措施,建立企业家羁押事前报备审核机制。加强羁押必要性审查,第一时间纠正错拘、错捕问题。加强专项整治,严禁超权限、超标的、超时限查封、扣押、冻结企业及企业家财物。',
     '区政法委', '区法庭、区检察室、区公安分局', 12),
    ('2-3', '法治良好', '加强知识产权保护和应用',
     '与司法保护深度衔接,落实《强化知识产权保护的意见》。依托社会治理综合服务中心,实现知识产权维权援助工作全覆盖。',
     '区政法委、区市场监管局', '区法庭、区检察室、区公安分局', 12),
    ('2-4', '法治良好', '净化市场经营秩序',
     '常态化开展扫黑除恶工作,持续推进重点行业领域专项整治,严厉打击欺行霸市、强买强卖、恶意阻工、暴力讨债等违法犯罪行为,坚决扫除各类行霸、业霸、市霸等黑恶势力。严厉打击合同诈骗、职务侵占、串通投标、强迫交易等扰乱企业生产经营秩序的犯罪行为。',
     '区政法委', '区法庭、区检察室、区公安分局', 12),
    ('2-5', '法治良好', '加强“十个严禁”落实情况监督检查',
     '严格执行《辽宁政法干警优化营商环境“十个严禁”》,加强对执行情况监督检查,定期汇总、通报,确保“十个严禁”不折不扣落实。',
     '区政法委', '区法庭、区检察室、区公安分局', 10),
    ('2-6', '法治良好', '加强案件评查督查',
     '对涉民营企业及其经营者重点案件进行案件评查、执法司法问题督查、重点案件纠错。严格落实防止干预司法“三个规定”要求。切实防止不当司法行为对企业生产经营活动造成负面影响。',
     '区政法委', '区法庭、区检察室、区公安分局', 10),
    ('2-7', '法治良好', '坚决依法纠正冤错案件',
     '健全完善涉企冤错案件甄别纠正常态化工作机制,对涉企申诉案件,及时启动审查程序,确有错误的,依法纠正。加强涉企刑事案件错误立案和应立不立问题的检查监督,严禁以刑事手段介入民事纠纷,以民事纠纷为由放纵刑事犯罪。',
     '区政法委', '区法庭、区检察室、区公安分局', 12),
    ('2-8', '法治良好', '建立企业家涉法诉求解决渠道',
     '建立跨部门企业权益保护协调机制,依法及时解决影响法治化营商环境突出问题。持续开展涉法涉诉信访矛盾“减存控增”攻坚活动,压实主体责任、压缩办理时限,确保“件件有人管、事事有回复”。',
     '区政法委', '区法庭、区检察室、区公安分局', 12),
    ('2-9', '法治良好', '加强涉特殊主体债务案件执行力度',
     '建立债务清理结算“一把手”负责制,加强检查督导,积极促成和解,限时定额解决问题。加强财政监管, 有计划将债务纳入单位年度财政预算,优化支出结构,提高财政保障能力。建立联席会议机制,形成部门联动、社会参与的综合治理“执行难”大格局。',
     '区政法委', '区法庭', 12),
    ('2-10', '法治良好', '加快建立公正规范市场监管体系',
     '建立市场监管领域“双随机、一公开”监管制度和工作机制,全面实行随机抽取检查对象、随机选派执法检查人员,抽查情况及查处结果及时向社会公开。',
     '区政法委、区市场监管局', '区法庭、区检察室、区公安分局', 12),
    ('2-11', '法治良好', '推进公正文明执法',
     '规范行政执法程序、行政执法行为和行政裁量权,加强市场监督管理、综合执法、社会事业、应急管理行政执法队的监督工作,保证优化营商环境的各项措施落实见效。',
     '区政法委', '区各执法部门', 10),
    ('2-12', '法治良好', '净化法律服务市场',
     '专项整治违规设点、超范围执业、无照经营、违规代理和侵犯群众利益等问题,依法从严打击非法从事有偿法律服务行为。发布全区各类法律服务机构业务范围等基本信息,指导并提醒企业和群众规避法律服务各类潜在风险。',
     '区政法委', '区公安分局、区市场监管局等', 12),
    ('3-1', '成本竞争力强', '继续推进降低企业用能成本',
     '供水供电供气供暖等公用企事业单位应当向社会公开服务标准、资费标准等信息,为市场主体提供安全、便捷、稳定和价格合理的服务,不得强迫市场主体接受不合理的服务条件,不得以任何名义收取不合理费用。对全区供水供电供气供暖行业收费进行一次全面清理规范,取消不合理收费项目,减轻企业负担。',
     '区发改局、区住建局、区市场监管局', '区内涉及供水供电供气供暖行业企业', 5),
    ('3-2', '成本竞争力强', '开展失信约束制度清理',
     '构建诚信建设长效机制,推进失信联合惩戒和重点领域信用承诺,完善政务信用管理体系,健全守信联合激励和失信联合惩戒制度。',
     '区发改局', '区直相关部门', 10),
    ('3-3', '成本竞争力强', '加快推进“证照分离”改革',
     '继续推进第一批106项“证照分离”改革工作,并为下一步全面启动证照分离全覆盖做好准备。',
     '区市场监管局', '区直相关部门', 12),
    ('3-4', '成本竞争力强', '扩大融资担保范围',
     '持续推进“信易贷”和“金融平台”应用,制定激励机制,增加金融供给的多样性。',
     '区财政局', '区发改局', 12),
    ('4-1', '生态宜居', '加快推进“三河共治”进度',
     '纵深推进小凌河、女儿河、百股河三条河水生态治理。',
     '区发改局', '', 12),
    ('4-2', '生态宜居', '推进“两环一带”建设',
     '全力配合市住建局工作安排及部署,加快推动广州街跨小凌河桥建设顺利施工,力争2021年底前完成项目主体桥梁施工。',
     '区住建局', '', 10),
    ('4-3', '生态宜居', '推进重点生态修复工程',
     '全面修复治理南山生态环境。全区优良天数比例达到72.8%,PM2.5年均浓度达到47微克/立方米。实现全区污染地块安全利用率不低于90%。全区计划完成人工造林作业面积300亩。加强“能耗双控”,创建资源节约型社会。',
     '区生态环境分局、区发改局', '', 12),
    ('4-4', '生态宜居', '创新实施文化惠民工程',
     '广泛开展全民健身活动,持续推进体育民生工程,配合做好农民体育健身工程、城市健身路径、球类等场地设施建设。加快推进锦州市城市旅游服务中心建设,不断促进文化旅游体育产业融合发展。',
     '区社会事业发展局', '', 12),
    ('4-5', '生态宜居', '树立教师良好形象',
     '开展倾情教育服务活动,整治师德、师风。治理中小学在职教师违规有偿补课行为,坚持明察与暗访相结合,日常监管与投诉查处相结合,加大检查力度,对查实的问题依法依规严肃处理。',
     '区社会事业发展局', '', 12),
    ('4-6', '生态宜居', '落实优抚对象子女落户入学优待政策',
     '全面落实《锦州市军人子女教育优待实施办法》《锦州市消防救援人员子女教育优待实施办法》《驻锦高校博士子女入学优待政策》等相关政策,按规定对优抚对象子女入学予以优待。',
     '区社会事业发展局、区公安分局', '', 12),
    ('4-7', '生态宜居', '促进商贸流通发展',
     '完善便利店等便民消费设施,支持品牌便利店发展。培育餐饮、购物等消费热点,搭建平台开展促销活动,因地制宜组织辖区内商贸流通企业举办各类主题促销活动。推进电商直播基地和电商示范企业发展,夯实电商产业发展基础。全区培育电商人员50人,积极参加“2021锦州网上年货节”、省第二届电商直播节等相关活动。',
     '区科技创新和营商局', '', 12),
    ('4-8', '生态宜居', '建立健全创卫长效管理机制',
     '在巩固创卫成果的基础上,进一步整治提升,为百姓营造干净整洁的生活环境。定期对全市创卫工作成果巩固情况进行督查,发现问题及时通知整改,确保做到检查不少、标准不降。',
     '区社会事业发展局', '', 12),
    ('4-9', '生态宜居', '推动养老服务改革',
     '对全区201名城乡分散特困供养老年人开展政府购买居家养老服务。年底前全区具有综合服务功能的社区养老服务机构达到1所,标准化城乡居家养老服务站分别达到10所和14所。持续推进“互联网+智慧养老”深度发展,线上分散特困供养老年人以及各类养老服务机构信息全部录入。',
     '区社会事业发展局', '', 12),
)
UNFINISHED = {"1-3": 85, "2-5": 90}  # deadline passed below 100%: overdue
MISSED = {"4-5"}  # skipped the last report: overdue
WAITING = {"1-7", "2-1"}  # the latest report waits for the office
RETURNED = {"4-9"}  # the latest report was returned with a reason
NOT_YET = {"1-8", "2-7", "3-3", "4-1", "4-8"}  # the report due in the next days not yet sent
RETURN_REASON = "进展情况过于笼统，请补充本月完成的具体事项和数据，并附佐证材料。"


def _units(session: Session, names: str) -> tuple[list[int], list[str]]:
    """Unit ids of the seed's names; the rest (区直相关单位 …) stays as text."""
    known = dict(session.exec(select(Unit.name, Unit.id)).all())
    ids, others = [], []
    for name in filter(None, names.split("、")):
        name = ALIASES.get(name.removesuffix("等"), name.removesuffix("等"))
        (ids.append(known[name]) if name in known else others.append(name))
    return ids, others


def _add_units(session: Session) -> None:
    order = session.exec(select(Unit.sort_order).order_by(col(Unit.sort_order).desc())).first()
    for offset, name in enumerate(NEW_UNITS, start=1):
        if session.exec(select(Unit.id).where(Unit.name == name)).first() is None:
            session.add(Unit(name=name, quota_applies=False, sort_order=(order or 0) + offset))
    session.commit()


def _month_end(year: int, month: int) -> date:
    return tasks._month_end(date(year, month, 1))


def seed_demo_tasks(session: Session) -> int:
    """The seed's tasks and their progress so far; 0 when the ledger is not empty."""
    if session.exec(select(KeyTask.id).limit(1)).first() is not None:
        return 0
    office = load_actor(session, username="supervisor")
    if office is None:
        return 0
    _add_units(session)
    today = clock.today()
    year = today.year
    start = date(year, *ISSUED)
    for number, area, title, content, leads, supports, month in DEMO_TASKS:
        lead_ids, lead_other = _units(session, leads)
        support_ids, support_other = _units(session, supports)
        with _clock_at(datetime.combine(start, time(9, 0))):
            task = tasks.create_task(session, actor=office, data=tasks.TaskInput(
                number=number, title=title, content=content, area=area,
                lead_unit_ids=lead_ids, support_unit_ids=support_ids,
                other_parties="、".join(lead_other + support_other),
                start_on=start, due_on=_month_end(year, month), source=SOURCE))
        _live(session, task, office, _clerk(session, lead_ids[0]), today)
    run_the_ladder(session, days=30, kinds=(supervised.TASK,))  # the reports' ran already
    return len(DEMO_TASKS)


def _clerk(session: Session, unit_id: int) -> Actor:
    from portal.demo import _unit_clerk

    for username in ("unit_fgj", "unit_zjj"):
        actor = load_actor(session, username=username)
        if actor is not None and actor.unit_id == unit_id:
            return actor
    return _unit_clerk(session, session.get(Unit, unit_id))


def _live(session: Session, task: KeyTask, office: Actor, clerk: Actor, today: date) -> None:
    """Report on schedule (three days before each due date) until today; the office reviews
    two days later. The task's group above decides how its story ends."""
    number, span = task.number, max((task.due_on - task.start_on).days, 1)
    due = task.next_report_due
    while due is not None:
        moment = datetime.combine(due - timedelta(days=3), time(10, 0))
        upcoming = due >= today
        if upcoming and (number in NOT_YET or number in MISSED or due - today > timedelta(10)):
            return
        if number in MISSED and due > today - timedelta(days=40):
            return
        if upcoming or moment.date() >= today:
            moment = datetime.combine(today - timedelta(days=1), time(16, 0))
        final = due > task.due_on and number not in UNFINISHED
        percent = 100 if final else min(95, max(5, round(
            100 * (moment.date() - task.start_on).days / span)))
        if number in UNFINISHED:
            percent = min(percent, UNFINISHED[number])
        with _clock_at(moment):
            report = tasks.submit_progress(session, actor=clerk, task_id=task.id,
                                           data=_progress(task, percent))
        review_at = moment + timedelta(days=2)
        last = review_at.date() >= today or upcoming
        if last and number in WAITING:
            return
        with _clock_at(min(review_at, datetime.combine(today, time(8, 30)))):
            if last and number in RETURNED:
                tasks.return_progress(session, actor=office, progress_id=report.id,
                                      reason=RETURN_REASON)
                return
            tasks.accept_progress(session, actor=office, progress_id=report.id)
        session.refresh(task)
        if final:
            return
        due = task.next_report_due


def _progress(task: KeyTask, percent: int) -> tasks.ProgressInput:
    if percent == 100:
        return tasks.ProgressInput(
            progress=f"“{task.title}”各项工作已全部完成，达到方案要求。", percent=100,
            evidence="工作总结、相关制度文件和验收材料已存档备查。")
    return tasks.ProgressInput(
        progress=f"按计划推进“{task.title}”，本期完成阶段性工作，累计完成约 {percent}%。",
        percent=percent, problems="部分配合单位材料报送不及时，已协调催办。" if percent < 50 else "",
        evidence="工作台账、会议纪要。")
