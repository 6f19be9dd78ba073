"""Accounts and API tokens from the command line: ``zonedesk user create|disable|enable|list``, ``zonedesk
accounts disable-stale``, ``zonedesk roles split`` (三员分立) and ``zonedesk token create|list|revoke``.

``--by ADMIN`` acts as that administrator, within their reach (the services' ``by``), recorded as them;
without it the command is the operator's at the server's shell (recorded as ``cli:$USER``), like set-up.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from zonedesk.core.cli import fail, resolve_user, setup


def cmd_token(args: argparse.Namespace) -> int:
    setup()
    from zonedesk.core.audit import acting_as
    from zonedesk.core.errors import DomainError
    from zonedesk.factors.services import token_issue

    user = resolve_user(args.user)
    try:
        with acting_as(user, source="cli"):
            print(token_issue(user=user, name=args.name, days=args.days))
    except DomainError as exc:
        return fail(exc.message + "".join(f"\n  {k}：{'；'.join(v)}" for k, v in exc.fields.items()))
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    setup()
    from zonedesk.access.models import ApiToken

    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    if args.user:
        tokens = tokens.filter(user__username=args.user)
    if not args.all:
        tokens = tokens.filter(revoked_at__isnull=True)

    def when(value: object) -> str:
        return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "—"  # type: ignore[attr-defined]

    print("编号\t用户\t前缀\t用途\t创建\t最近使用\t到期\t状态")
    for t in tokens:
        print(
            f"{t.pk}\t{t.user.username}\t{t.prefix}…\t{t.name or '—'}\t{when(t.created_at)}"
            f"\t{when(t.last_used_at)}\t{when(t.expires_at)}\t{t.get_state_display()}"
        )
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    setup()
    from zonedesk.access.models import ApiToken
    from zonedesk.access.services import token_revoke
    from zonedesk.core.audit import acting_as
    from zonedesk.core.errors import DomainError

    token = ApiToken.objects.filter(pk=args.id).first() if 0 < args.id < 2**63 else None
    if token is None:
        return fail(f"令牌 {args.id} 不存在")
    try:
        with acting_as(None, source="cli", label=f"cli:{os.environ.get('USER', 'admin')}"):
            token_revoke(actor=None, token=token, reason=args.reason or "命令行吊销")
    except DomainError as exc:
        return fail(exc.message)
    print(f"已吊销令牌 {token.pk}（{token.prefix}…）")
    return 0


def _operator() -> str:
    return f"cli:{os.environ.get('USER', 'admin')}"


@contextmanager
def _acting(by: Any) -> Iterator[None]:
    from zonedesk.core.audit import acting_as

    with acting_as(by, source="cli", label="" if by is not None else _operator()):
        yield


def _by(args: argparse.Namespace) -> Any:
    return resolve_user(args.by) if getattr(args, "by", None) else None


def _refused(exc: Any) -> int:
    return fail(exc.message + "".join(f"\n  {k}：{'；'.join(v)}" for k, v in exc.fields.items()))


def cmd_user(args: argparse.Namespace) -> int:
    setup()
    from zonedesk.access.models import OrgUnit
    from zonedesk.access.services import user_create
    from zonedesk.core.errors import DomainError

    by = _by(args)
    password = os.environ.get(args.password_env) if args.password_env else None
    if not password:
        import getpass

        if not sys.stdin.isatty():
            return fail("请通过 --password-env 指定保存密码的环境变量")
        password = getpass.getpass("密码：")
    unit = None
    if args.unit:
        unit = OrgUnit.objects.filter(name=args.unit).first()
        if unit is None:
            return fail(f"单位“{args.unit}”不存在")
    try:
        with _acting(by):
            user = user_create(
                username=args.username,
                password=password,
                full_name=args.full_name,
                unit=unit,
                is_superuser=args.superuser,
                by=by,
            )
    except DomainError as exc:
        return _refused(exc)
    print(f"已创建用户 {user.username}")
    return 0


def cmd_user_active(args: argparse.Namespace) -> int:
    setup()
    from zonedesk.access.models import User
    from zonedesk.access.selectors import administered_users
    from zonedesk.access.services import user_set_active
    from zonedesk.core.errors import DomainError

    by = _by(args)
    people = administered_users(by) if by is not None else User.objects.all()
    user = people.filter(username=args.username).first()
    if user is None:
        return fail(f"用户“{args.username}”不存在或不在您管理的范围内")
    active = args.user_command == "enable"
    try:
        with _acting(by):
            user_set_active(by=by, user=user, active=active)
    except DomainError as exc:
        return _refused(exc)
    print(f"已启用 {user.username}" if active else f"已停用 {user.username}（已结束其全部会话）")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    setup()
    from django.utils import timezone

    from zonedesk.access.models import User
    from zonedesk.access.selectors import administered_users

    by = _by(args)
    people = administered_users(by) if by is not None else User.objects.all()
    if args.state:
        people = people.filter(is_active=args.state == "active")
    for user in people.select_related("unit").prefetch_related("grants__role").order_by("username"):
        roles = ",".join(sorted({g.role.code for g in user.grants.all()})) or "-"
        last = timezone.localtime(user.last_login).date().isoformat() if user.last_login else "-"
        state = "启用" if user.is_active else "停用"
        unit = user.unit.name if user.unit else "-"
        print(f"{user.username}\t{user.full_name or '-'}\t{unit}\t{state}\t{roles}\t{last}")
    return 0


def cmd_disable_stale(args: argparse.Namespace) -> int:
    setup()
    from django.utils import timezone

    from zonedesk.access.conf import account_inactive_days
    from zonedesk.access.services import accounts_disable_stale
    from zonedesk.core.audit import acting_as

    days = args.days if args.days is not None else account_inactive_days()
    with acting_as(None, source="cli", label="job:accounts.disable-stale"):
        found = accounts_disable_stale(days=days, dry_run=args.dry_run)
    verb = "将停用" if args.dry_run else "已停用"
    for user in found:
        last = timezone.localtime(user.last_login).date().isoformat() if user.last_login else "从未登录"
        print(f"{verb} {user.username}（最后登录：{last}）")
    print(f"{verb} {len(found)} 个超过 {days} 天未使用的账号")
    return 0


def cmd_roles_split(args: argparse.Namespace) -> int:
    setup()
    from zonedesk.access.models import Grant
    from zonedesk.access.services import administrators_split
    from zonedesk.core.errors import DomainError

    people = {part: resolve_user(getattr(args, part)) for part in ("system", "security", "audit")}
    try:
        with _acting(None):
            given = administrators_split(**people, retire_province_admin=args.retire_province_admin)
    except DomainError as exc:
        return _refused(exc)
    for grant in given:
        print(f"已授予 {grant.user.username}：{grant.role.name}（全部）")
    left = sorted(Grant.objects.filter(role__code="province_admin").values_list("user__username", flat=True))
    if left:
        print("仍持有省级管理员角色：" + "、".join(left) + "（--retire-province-admin 可一并撤销）")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    token = sub.add_parser("token", help="API 令牌")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="为用户生成个人 API 令牌（只显示一次）")
    create.add_argument("--user", required=True)
    create.add_argument("--name", default="")
    create.add_argument("--days", type=int, default=None, help="有效期天数（默认 ZONEDESK_TOKEN_DAYS，90）")
    create.set_defaults(func=cmd_token)
    tlist = token_sub.add_parser("list", help="列出 API 令牌（默认只列未吊销的）")
    tlist.add_argument("--user", help="只列该用户的令牌")
    tlist.add_argument("--all", action="store_true", help="包括已吊销的")
    tlist.set_defaults(func=cmd_token_list)
    trevoke = token_sub.add_parser("revoke", help="吊销一个 API 令牌（按编号，见 token list）")
    trevoke.add_argument("id", type=int)
    trevoke.add_argument("--reason", default="")
    trevoke.set_defaults(func=cmd_token_revoke)

    by_help = "以该管理员身份操作（限其管理范围）；省略则为服务器操作员"
    user = sub.add_parser("user", help="用户管理")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    ucreate = user_sub.add_parser("create", help="新建用户")
    ucreate.add_argument("username")
    ucreate.add_argument("--full-name", default="")
    ucreate.add_argument("--unit", help="所属单位名称")
    ucreate.add_argument("--password-env", help="从该环境变量读取密码（不在命令行明文传递）")
    ucreate.add_argument("--superuser", action="store_true")
    ucreate.add_argument("--by", help=by_help)
    ucreate.set_defaults(func=cmd_user)
    for name, help_text in (("disable", "停用账号（并结束其全部会话）"), ("enable", "重新启用账号")):
        cmd = user_sub.add_parser(name, help=help_text)
        cmd.add_argument("username")
        cmd.add_argument("--by", help=by_help)
        cmd.set_defaults(func=cmd_user_active)
    ulist = user_sub.add_parser("list", help="列出用户：用户名、姓名、单位、状态、角色、最后登录")
    ulist.add_argument("--by", help=by_help)
    ulist.add_argument("--state", choices=("active", "disabled"))
    ulist.set_defaults(func=cmd_user_list)

    accounts = sub.add_parser("accounts", help="账号维护")
    accounts_sub = accounts.add_subparsers(dest="accounts_command", required=True)
    stale = accounts_sub.add_parser(
        "disable-stale", help="停用超过 ZONEDESK_ACCOUNT_INACTIVE_DAYS 天（默认 90）未登录的账号"
    )
    stale.add_argument("--dry-run", action="store_true", help="只列出，不停用")
    stale.add_argument("--days", type=int, help="天数（默认取设置）")
    stale.set_defaults(func=cmd_disable_stale)

    roles = sub.add_parser("roles", help="角色")
    roles_sub = roles.add_subparsers(dest="roles_command", required=True)
    split = roles_sub.add_parser("split", help="三员分立：授予系统、安全、审计管理员（三个不同账号）")
    split.add_argument("--system", required=True, help="系统管理员的用户名")
    split.add_argument("--security", required=True, help="安全管理员的用户名")
    split.add_argument("--audit", required=True, help="审计管理员的用户名")
    split.add_argument("--retire-province-admin", action="store_true", help="同时撤销所有省级管理员授权")
    split.set_defaults(func=cmd_roles_split)
