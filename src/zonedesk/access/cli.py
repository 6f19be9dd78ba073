"""``zonedesk token create|list|revoke`` and ``zonedesk user create``: API tokens and accounts from the command
line."""

from __future__ import annotations

import argparse
import os
import sys

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


def cmd_user(args: argparse.Namespace) -> int:
    setup()
    from zonedesk.access.models import OrgUnit
    from zonedesk.access.services import user_create
    from zonedesk.core.audit import acting_as
    from zonedesk.core.errors import DomainError

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
        with acting_as(None, source="cli", label=f"cli:{os.environ.get('USER', 'admin')}"):
            user = user_create(
                username=args.username,
                password=password,
                full_name=args.full_name,
                unit=unit,
                is_superuser=args.superuser,
            )
    except DomainError as exc:
        return fail(exc.message + "".join(f"\n  {k}：{'；'.join(v)}" for k, v in exc.fields.items()))
    print(f"已创建用户 {user.username}")
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

    user = sub.add_parser("user", help="用户管理")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    ucreate = user_sub.add_parser("create", help="新建用户")
    ucreate.add_argument("username")
    ucreate.add_argument("--full-name", default="")
    ucreate.add_argument("--unit", help="所属单位名称")
    ucreate.add_argument("--password-env", help="从该环境变量读取密码（不在命令行明文传递）")
    ucreate.add_argument("--superuser", action="store_true")
    ucreate.set_defaults(func=cmd_user)
