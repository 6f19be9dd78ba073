"""``zonedesk token create`` and ``zonedesk user create``: API tokens and accounts from the command line."""

from __future__ import annotations

import argparse
import os
import sys

from zonedesk.core.cli import fail, resolve_user, setup


def cmd_token(args: argparse.Namespace) -> int:
    setup()
    from zonedesk.access.services import token_create
    from zonedesk.core.audit import acting_as

    user = resolve_user(args.user)
    with acting_as(user, source="cli"):
        print(token_create(user=user, name=args.name))
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
    create.set_defaults(func=cmd_token)

    user = sub.add_parser("user", help="用户管理")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    ucreate = user_sub.add_parser("create", help="新建用户")
    ucreate.add_argument("username")
    ucreate.add_argument("--full-name", default="")
    ucreate.add_argument("--unit", help="所属单位名称")
    ucreate.add_argument("--password-env", help="从该环境变量读取密码（不在命令行明文传递）")
    ucreate.add_argument("--superuser", action="store_true")
    ucreate.set_defaults(func=cmd_user)
