"""``zonedesk account mfa-reset USER``: remove a person's second factor (a lost phone) from the server's
command line; they enrol again at their next login. ``zonedesk token …`` lives in access/cli.py."""

from __future__ import annotations

import argparse
import os

from zonedesk.core.cli import fail, setup


def cmd_mfa_reset(args: argparse.Namespace) -> int:
    setup()
    from zonedesk.access.models import User
    from zonedesk.core.audit import acting_as
    from zonedesk.factors.services import mfa_reset

    user = User.objects.filter(username=args.username).first()
    if user is None:
        return fail(f"用户“{args.username}”不存在")
    with acting_as(None, source="cli", label=f"cli:{os.environ.get('USER', 'admin')}"):
        removed = mfa_reset(user=user, actor=None, reason=args.reason)
    if not removed:
        print(f"用户 {user.username} 没有启用双因素认证，无需重置")
    else:
        print(f"已重置用户 {user.username} 的双因素认证（移除 {removed} 个验证设备），其下次登录时须重新启用")
    return 0


def _subcommands(parser: argparse.ArgumentParser, dest: str) -> argparse._SubParsersAction:
    # Another app may add its own ``account`` commands: share the group rather than replace it.
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest=dest, required=True)


def register(sub: argparse._SubParsersAction) -> None:
    account = sub.choices.get("account") or sub.add_parser("account", help="账号安全")
    account_sub = _subcommands(account, "account_command")
    reset = account_sub.add_parser("mfa-reset", help="重置用户的双因素认证（手机丢失时），下次登录须重新启用")
    reset.add_argument("username")
    reset.add_argument("--reason", default="", help="重置原因（记入安全日志）")
    reset.set_defaults(func=cmd_mfa_reset)
