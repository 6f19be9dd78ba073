"""``zonedesk account unlock USER`` and ``zonedesk account reset-password USER``: the server console's way
to clear a lock or give a user a temporary password (run by whoever runs the server, as "cli:<login>")."""

from __future__ import annotations

import argparse
import os

from zonedesk.core.cli import fail, setup


def _operator() -> str:
    return f"cli:{os.environ.get('USER', 'admin')}"


def cmd_unlock(args: argparse.Namespace) -> int:
    setup()
    from zonedesk.core.audit import acting_as
    from zonedesk.identity.services import account_unlock

    with acting_as(None, source="cli", label=_operator()):
        removed = account_unlock(admin=None, username=args.username, address=args.address or "")
    print(f"已解锁 {args.username}（清除 {removed} 条失败登录记录）")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    setup()
    from zonedesk.access.models import User
    from zonedesk.core.audit import acting_as
    from zonedesk.core.errors import DomainError
    from zonedesk.identity.services import password_reset_by_admin

    user = User.objects.filter(username=args.username).first()
    if user is None:
        return fail(f"用户“{args.username}”不存在")
    try:
        with acting_as(None, source="cli", label=_operator()):
            password = password_reset_by_admin(admin=None, user=user)
    except DomainError as exc:
        return fail(exc.message)
    print(f"{user.username} 的临时密码（只显示这一次，下次登录须修改）：{password}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    account = sub.add_parser("account", help="账户安全：解锁、重置密码")
    account_sub = account.add_subparsers(dest="account_command", required=True)
    unlock = account_sub.add_parser("unlock", help="解除账户锁定（清除失败登录记录）")
    unlock.add_argument("username")
    unlock.add_argument("--address", help="同时解除该客户端地址的限制")
    unlock.set_defaults(func=cmd_unlock)
    reset = account_sub.add_parser("reset-password", help="生成临时密码（下次登录须修改）")
    reset.add_argument("username")
    reset.set_defaults(func=cmd_reset)
