"""Self-registration of company accounts (role `company`)."""

from sqlmodel import Session, select

from portal import audit, text_rules
from portal.errors import FieldChecks, ValidationError
from portal.models import User
from portal.passwords import check_policy
from portal.reports import clean_credit_code, clean_mobile
from portal.roles import Actor, Role, require
from portal.users import add_account, clean_username, load_actor


def register_company(session: Session, *, company_name: str, credit_code: str,
                     contact_name: str, mobile: str, username: str, password: str,
                     repeat: str) -> Actor:
    """Create a company account after checking every field; nothing is saved on any error."""
    fields = FieldChecks()
    check, clean = fields.check, fields.clean

    def required(name: str, value: str, high: int) -> str:
        return text_rules.clean(value, field=name, max_len=high, single_line=True,
                                required_key=f"error.{name}_required",
                                too_long_key=f"error.{name}_length", min=1)

    def password_ok() -> str:
        check_policy(password, username=(username or "").strip().lower())
        if password != repeat:
            raise ValidationError("error.passwords_differ", field="repeat")
        return password

    def username_ok() -> str:
        name = clean_username(username)
        if session.exec(select(User.id).where(User.username == name)).first() is not None:
            raise ValidationError("error.username_taken", field="username", username=name)
        return name

    check("company_name", lambda: required("company_name", company_name, 100))
    check("credit_code", lambda: clean_credit_code(credit_code, required=True))
    check("contact_name", lambda: required("contact_name", contact_name, 40))
    check("contact_mobile", lambda: clean_mobile(mobile))
    check("username", username_ok)
    check("password", password_ok)
    fields.raise_if_any()
    user = add_account(session, username=clean["username"], display_name=clean["contact_name"],
                       password=clean["password"], roles={Role.COMPANY}, unit_id=None)
    user.company_name, user.credit_code = clean["company_name"], clean["credit_code"]
    user.mobile = clean["contact_mobile"]
    session.add(user)
    audit.record(session, actor=None, action="company.register", entity="user",
                 entity_id=user.id, detail=f"{clean['company_name']} {clean['credit_code']}")
    session.commit()
    actor = load_actor(session, username=user.username)
    assert actor is not None
    return actor


def company_profile(session: Session, *, actor: Actor) -> dict:
    """The company's details, to pre-fill its report form."""
    require(actor, Role.COMPANY)
    user = session.get(User, actor.user_id)
    return {"company_name": user.company_name or "", "credit_code": user.credit_code or "",
            "contact_name": user.display_name, "mobile": user.mobile or ""}
