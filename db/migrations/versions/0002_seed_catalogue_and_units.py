"""Seed the 2021 catalogue (5 areas, 32 categories of seed 001) and the district's units.

The texts are frozen here as the seed document states them; later versions of the catalogue
are added as rows of a new year, never by editing these.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

YEAR = 2021

AREAS = [
    ("职责落实", "Duty fulfilment", [
        "对上级重大决策部署和文件要求执行不到位的",
        "“说了等于做了”、“发文了等于做了”、“开会研究了等于问题解决了”等形式主义、官僚主义问题的",
        "新官不理旧账的",
        "损害公平公正市场环境的",
        "强行要求或变相指定管理服务对象接受中介代理服务的",
        "违反《招标投标法》和《资产评估法》的",
    ]),
    ("依法行政", "Lawful administration", [
        "违规增加行政审批前置条件或变相审批的；对已取消下放的行政审批事项，仍在变相审批的",
        "违规设立收费项目、变相收费、扩大收费范围和提高收费标准的",
        "违规把职责范围内的工作转移或者委托给中介机构、行业协会，提供有偿服务或者从所管理的中介机构获利的",
        "违规办班、补课、订阅教辅材料的",
        "违规设卡、截车、罚款的",
        "收费和罚款下指标、有提成，与奖金效益挂钩的",
        "在基础设施建设、项目审批、公共资源交易、科研管理等出现腐败问题的",
    ]),
    ("工作效能", "Work efficiency", [
        "办事拖拉、推诿扯皮、工作方法简单粗暴，有意刁难管理服务对象的",
        "政务服务窗口首问负责、一次性告知和限时办结等制度落实不到位的",
        "企业和群众反映的合理诉求，在规定时间内不予答复、久拖不决，或者态度生硬的",
        "对机关作风、行政效能等方面问题主动查处不及时的",
        "损害企业和群众利益等问题解决不及时、不彻底的",
    ]),
    ("规范执法", "Regulated law enforcement", [
        "违法违规责令企业停产、停业，查封、扣押、划拨企业财产、资金和冻结银行账户，或者违法传唤企业法定代表人的",
        "违规使用、调换、变卖或损毁被查封、扣押、冻结、划拨、收缴财物的",
        "以罚代管、只罚不管、趋利执法的",
        "区别对待执法对象或越权执法的",
        "落实政策过程中违规截留、选择性执行、优惠政策落实不到位的",
        "违规要求企业和群众接受指定服务、购买指定产品的",
    ]),
    ("廉洁自律", "Integrity", [
        "对管理和服务对象“吃、拿、卡、要”的",
        "违规制造、纵容、庇护不正当竞争的",
        "利用职权便利为他人承揽工程项目、承接劳务等谋取私利的",
        "以明显低于市场价格或明显高于市场价格向管理和服务对象购买或出售物品和服务的",
        "在拨付资金、给予政策、返还财物、提供服务时收好处、拿回扣、进行截留的",
        "违规插手工程招投标、土地矿产出让等，搞权力寻租、权钱交易的",
        "以检查、检测等名义不当得利的",
        "其他损害营商环境的问题",
    ]),
]

QUOTA_UNITS = [
    "区发改局", "区社会事业发展局", "区公安分局", "区政法委", "区财政局", "区自然资源分局",
    "区生态环境分局", "区住建局", "区应急局", "区审计局", "区市场监管局", "区医保分中心",
    "高新税务局", "区法庭", "区检察室",
]
LEAD_UNITS = ["区科创营商局", "区纪律检查委员会", "区政府督查考评办公室"]


def upgrade() -> None:
    bind = op.get_bind()
    areas = sa.table("catalogue_areas", sa.column("id", sa.Integer), sa.column("year", sa.Integer),
                     sa.column("number", sa.Integer), sa.column("name", sa.String),
                     sa.column("name_en", sa.String))
    categories = sa.table("categories", sa.column("year", sa.Integer),
                          sa.column("number", sa.Integer), sa.column("area_id", sa.Integer),
                          sa.column("text", sa.String))
    units = sa.table("units", sa.column("name", sa.String), sa.column("quota_applies", sa.Boolean),
                     sa.column("active", sa.Boolean), sa.column("sort_order", sa.Integer))
    number = 0
    for area_number, (name, name_en, texts) in enumerate(AREAS, start=1):
        bind.execute(areas.insert().values(year=YEAR, number=area_number, name=name,
                                           name_en=name_en))
        area_id = bind.execute(
            sa.select(areas.c.id).where(areas.c.year == YEAR, areas.c.number == area_number)
        ).scalar_one()
        for text in texts:
            number += 1
            bind.execute(categories.insert().values(year=YEAR, number=number, area_id=area_id,
                                                    text=text))
    rows = [{"name": n, "quota_applies": True, "active": True, "sort_order": i}
            for i, n in enumerate(QUOTA_UNITS, start=1)]
    rows += [{"name": n, "quota_applies": False, "active": True, "sort_order": 100 + i}
             for i, n in enumerate(LEAD_UNITS, start=1)]
    bind.execute(units.insert(), rows)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM categories WHERE year = 2021"))
    op.execute(sa.text("DELETE FROM catalogue_areas WHERE year = 2021"))
    names = QUOTA_UNITS + LEAD_UNITS
    op.execute(sa.table("units", sa.column("name", sa.String)).delete().where(
        sa.column("name").in_(names)))
