"""The one catalogue of user-facing strings: Simplified Chinese first, English as a switch."""

from datetime import date, datetime

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

MESSAGES: dict[str, tuple[str, str]] = {
    # application and navigation
    "app.title": ("营商环境监督平台", "Business Environment Supervision Portal"),
    "app.language": ("语言 / Language", "语言 / Language"),
    "nav.public": ("公众服务", "Public services"),
    "nav.account": ("我的", "My account"),
    "nav.admin": ("系统管理", "Administration"),
    "page.report": ("反映问题", "Report a problem"),
    "page.track": ("进度查询", "Track a report"),
    "page.board": ("公示栏", "Public board"),
    "page.login": ("工作人员登录", "Staff login"),
    "page.home": ("工作台", "Workbench"),
    "page.account": ("账户与密码", "Account and password"),
    "page.admin_users": ("用户管理", "Users"),
    "page.admin_units": ("单位管理", "Units"),
    "page.admin_catalogue": ("问题分类目录", "Category catalogue"),
    "page.admin_audit": ("操作日志", "Audit log"),
    # roles
    "role.company": ("企业用户", "Company"),
    "role.unit": ("责任单位", "Responsible unit"),
    "role.supervisor": ("营商环境办公室", "Business-environment office"),
    "role.discipline": ("纪检监察", "Discipline inspection"),
    "role.admin": ("系统管理员", "Administrator"),
    # login, logout, guard
    "login.intro": ("工作人员、责任单位和注册企业请使用账号登录。反映问题和查询进度无需登录。",
                    "Staff, responsible units and registered companies log in here. Reporting "
                    "a problem and tracking it need no login."),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    "login.missing": ("请输入用户名和密码。", "Please enter your username and password."),
    "login.logged_in_as": ("当前用户：{name}", "Logged in as {name}"),
    "logout": ("退出登录", "Log out"),
    "guard.login_required": ("请先登录后再访问本页面。", "Please log in to open this page."),
    "guard.go_login": ("前往登录", "Go to login"),
    "guard.forbidden": ("您的账号没有访问本页面的权限。", "Your account may not open this page."),
    "soon.title": ("即将开放", "Coming soon"),
    "soon.report": ("在线反映问题（投诉举报、办不成事、意见建议）即将开放。现在可拨打 12345 热线反映。",
                    "Online reporting (complaints, things that couldn't get done, suggestions) "
                    "opens soon. Meanwhile, call the 12345 hotline."),
    "soon.track": ("凭受理编号和查询码查询办理进度的功能即将开放。",
                   "Tracking a report by its number and query code opens soon."),
    "soon.board": ("各单位办理情况公示即将开放。", "The public board of unit figures opens soon."),
    # home
    "home.welcome": ("您好，{name}", "Hello, {name}"),
    "home.roles": ("角色", "Roles"),
    "home.unit": ("所属单位", "Unit"),
    "home.no_unit": ("（无）", "(none)"),
    "home.pages": ("您可以使用以下功能：", "Pages available to you:"),
    # account
    "account.current": ("当前密码", "Current password"),
    "account.new": ("新密码", "New password"),
    "account.repeat": ("再次输入新密码", "Repeat the new password"),
    "account.submit": ("修改密码", "Change password"),
    "account.changed": ("密码已修改。", "Your password has been changed."),
    # admin: users
    "users.search": ("按用户名或姓名搜索", "Search by username or name"),
    "users.col.username": ("用户名", "Username"),
    "users.col.display_name": ("姓名", "Name"),
    "users.col.roles": ("角色", "Roles"),
    "users.col.unit": ("单位", "Unit"),
    "users.col.active": ("启用", "Active"),
    "users.col.locked": ("已锁定", "Locked"),
    "users.create": ("新建用户", "New user"),
    "users.edit": ("编辑用户", "Edit user"),
    "users.pick": ("选择用户", "Choose a user"),
    "users.unit_none": ("（不属于任何单位）", "(no unit)"),
    "users.save": ("保存", "Save"),
    "users.create_submit": ("创建用户", "Create user"),
    "users.created": ("已创建用户 {username}。初始密码只显示这一次，请立即转交本人：",
                      "User {username} created. The initial password is shown only once; "
                      "hand it over now:"),
    "users.saved": ("已保存。", "Saved."),
    "users.deactivate": ("停用账号", "Deactivate"),
    "users.activate": ("启用账号", "Activate"),
    "users.deactivated": ("账号已停用。", "Account deactivated."),
    "users.activated": ("账号已启用。", "Account activated."),
    "users.reset": ("重置密码", "Reset password"),
    "users.reset_done": ("{username} 的新密码只显示这一次，请立即转交本人：",
                         "New password of {username}, shown only once; hand it over now:"),
    "users.none": ("没有符合条件的用户。", "No users match."),
    "pager.page": ("页码", "Page"),
    "pager.total": ("共 {total} 条，第 {page}/{pages} 页", "{total} in all, page {page} of {pages}"),
    # admin: units
    "units.col.name": ("单位名称", "Unit"),
    "units.col.quota": ("适用典型案例指标", "Typical-case quota applies"),
    "units.col.active": ("启用", "Active"),
    "units.create": ("新增单位", "Add a unit"),
    "units.name": ("单位名称", "Unit name"),
    "units.quota": ("适用典型案例指标", "Typical-case quota applies"),
    "units.active": ("启用", "Active"),
    "units.create_submit": ("新增", "Add"),
    "units.created": ("已新增单位 {name}。", "Unit {name} added."),
    "units.edit": ("修改单位", "Edit a unit"),
    "units.pick": ("选择单位", "Choose a unit"),
    "units.save": ("保存修改", "Save changes"),
    "units.saved": ("已保存。", "Saved."),
    "units.never_deleted": ("单位不可删除，只能停用；停用后其历史数据仍然保留。",
                            "Units are never deleted, only deactivated; their history is kept."),
    # admin: catalogue
    "catalogue.intro": ("损害营商环境行为的 5 个方面 32 类问题（{year} 年版）。",
                        "The 32 categories of conduct harming the business environment in 5 "
                        "areas (version {year})."),
    "catalogue.col.number": ("序号", "No."),
    "catalogue.col.text": ("问题类别", "Category"),
    # admin: audit
    "audit.col.at": ("时间", "Time"),
    "audit.col.actor": ("操作人", "By"),
    "audit.col.action": ("操作", "Action"),
    "audit.col.entity": ("对象", "Object"),
    "audit.col.detail": ("详情", "Detail"),
    # errors
    "error.permission_denied": ("您没有执行此操作的权限。", "You may not do this."),
    "error.not_found": ("未找到该记录。", "Not found."),
    "error.catalogue_missing": ("尚未载入问题分类目录，请先执行数据库迁移。",
                                "No catalogue is loaded; run the migrations first."),
    "error.login_failed": ("用户名或密码错误。", "Wrong username or password."),
    "error.account_locked": ("登录失败次数过多，账号已锁定至 {until}，请稍后再试或联系管理员。",
                             "Too many failed logins: the account is locked until {until}. Try "
                             "later or ask an administrator."),
    "error.password_too_short": ("密码至少需要 {min} 个字符。",
                                 "The password needs at least {min} characters."),
    "error.password_too_long": ("密码过长（最多 {max} 字节，一个汉字占 3 字节）。",
                                "The password is too long (at most {max} bytes)."),
    "error.password_spaces": ("密码首尾不能有空格。",
                              "The password may not start or end with a space."),
    "error.username_invalid": ("用户名只能由 1–20 位英文字母、数字、下划线或连字符组成。",
                               "A username is 1–20 letters, digits, underscores or hyphens."),
    "error.username_taken": ("用户名 {username} 已被使用。", "Username {username} is taken."),
    "error.display_name_required": ("请填写姓名。", "Please enter a name."),
    "error.display_name_too_long": ("姓名最多 {max} 个字符。", "A name has at most {max} characters."),
    "error.role_unknown": ("角色无效。", "Unknown role."),
    "error.roles_required": ("请至少选择一个角色。", "Choose at least one role."),
    "error.unit_required_for_role": ("“责任单位”角色必须指定所属单位。",
                                     "A responsible-unit account needs a unit."),
    "error.unit_inactive": ("所选单位不存在或已停用。", "That unit does not exist or is inactive."),
    "error.cannot_drop_own_admin": ("不能取消自己的管理员角色。",
                                    "You cannot remove your own administrator role."),
    "error.cannot_deactivate_self": ("不能停用自己的账号。", "You cannot deactivate yourself."),
    "error.user_not_found": ("未找到该用户。", "User not found."),
    "error.current_password_wrong": ("当前密码不正确。", "The current password is wrong."),
    "error.passwords_differ": ("两次输入的新密码不一致。", "The new passwords differ."),
    "error.unit_not_found": ("未找到该单位。", "Unit not found."),
    "error.unit_name_required": ("请填写单位名称。", "Please enter the unit's name."),
    "error.unit_name_too_long": ("单位名称最多 {max} 个字符。",
                                 "A unit name has at most {max} characters."),
    "error.unit_name_taken": ("已存在名为 {name} 的单位。", "A unit named {name} exists already."),
    "common.yes": ("是", "Yes"),
    "common.no": ("否", "No"),
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text of `key` in `lang`, with `{name}` placeholders filled; the key itself if unknown."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    formatted = {k: format_value(v, lang) for k, v in params.items()}
    return text.format(**formatted) if formatted else text


def format_date(value: date, lang: str = DEFAULT_LANGUAGE) -> str:
    if lang == "en":
        return value.strftime("%d %b %Y").lstrip("0")
    return f"{value.year}年{value.month}月{value.day}日"


def format_datetime(value: datetime, lang: str = DEFAULT_LANGUAGE) -> str:
    return f"{format_date(value.date(), lang)} {value:%H:%M}"


def format_value(value: object, lang: str) -> object:
    if isinstance(value, datetime):
        return format_datetime(value, lang)
    if isinstance(value, date):
        return format_date(value, lang)
    return value
