"""Demo data for `portal seed-demo`: accounts for every role. Idempotent: it only adds what is missing."""

from dataclasses import dataclass

from sqlmodel import Session, select

from portal import audit
from portal.models import Unit, User
from portal.roles import Role
from portal.users import add_account


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    display_name: str
    roles: tuple[Role, ...]
    unit: str | None


# Fixed on purpose: the README lists them. Never run seed-demo on a production database.
DEMO_ACCOUNTS = (
    DemoAccount("admin", "Demo-Admin-2026", "系统管理员（演示）", (Role.ADMIN,), None),
    DemoAccount("supervisor", "Demo-Yingshang-2026", "王明（区科创营商局）", (Role.SUPERVISOR,),
                "区科创营商局"),
    DemoAccount("discipline", "Demo-Jiwei-2026", "李华（区纪委监委）", (Role.DISCIPLINE,),
                "区纪律检查委员会"),
    DemoAccount("unit_fgj", "Demo-Unit-2026", "张伟（区发改局）", (Role.UNIT,), "区发改局"),
    DemoAccount("unit_zjj", "Demo-Unit-2026", "刘洋（区住建局）", (Role.UNIT,), "区住建局"),
    DemoAccount("company", "Demo-Company-2026", "陈静（通辽市恒达科技有限公司）", (Role.COMPANY,),
                None),
)


def seed_demo(session: Session) -> list[tuple[DemoAccount, bool]]:
    """Create the missing demo accounts; returns each account with whether it was created now."""
    results = []
    for account in DEMO_ACCOUNTS:
        exists = session.exec(select(User.id).where(User.username == account.username)).first()
        if exists is not None:
            results.append((account, False))
            continue
        unit_id = None
        if account.unit:
            unit_id = session.exec(select(Unit.id).where(Unit.name == account.unit)).first()
            if unit_id is None and Role.UNIT in account.roles:
                continue  # the admin renamed the unit; leave its demo account out
        user = add_account(session, username=account.username, display_name=account.display_name,
                            password=account.password, roles=set(account.roles), unit_id=unit_id)
        audit.record(session, actor=None, action="demo.user", entity="user", entity_id=user.id,
                     detail=account.username)
        results.append((account, True))
    session.commit()
    return results
