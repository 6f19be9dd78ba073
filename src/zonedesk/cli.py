"""The ``zonedesk`` command: demo, serve, token, user, project, extract, and ``manage`` for Django's own."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

DEFAULT_SETTINGS = "zonedesk.config.settings.local"

# Other packages' subcommands: each module has ``register(subparsers)`` and sets ``func`` on its parsers.
COMMAND_MODULES: tuple[str, ...] = ("zonedesk.ledgerio.cli", "zonedesk.dispatch.cli", "zonedesk.projects.cli")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def _fail(message: str, code: int = 2) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code


def _user(username: str):
    from zonedesk.access.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise SystemExit(_fail(f"用户“{username}”不存在或已停用"))
    return user


def cmd_demo(args: argparse.Namespace) -> int:
    from zonedesk.config.settings.base import data_dir

    data = data_dir()
    data.mkdir(parents=True, exist_ok=True)
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        # Refresh: the demo database is rebuilt from scratch on every run.
        for suffix in ("", "-wal", "-shm"):
            Path(str(db["NAME"]) + suffix).unlink(missing_ok=True)
    else:
        if not args.force:
            return _fail("演示数据会清空数据库；对非 SQLite 数据库请加 --force 确认")
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    from zonedesk.demo.loader import build_demo

    print(f"正在生成演示数据（生成项目 {args.size} 个）…", flush=True)
    result = build_demo(size=args.size, enterprises=args.enterprises, seed=args.seed)
    print(f"数据目录：{data}")
    print(f"开发区 {result.zones} 个，企业 {result.enterprises} 家，项目 {result.projects} 个")
    print(f"\n演示账号（密码均为 {result.accounts[0].password}）：")
    for a in result.accounts:
        print(f"  {a.username:<10} {a.full_name:<24} 数据范围：{a.scope}")
    if args.no_serve:
        return 0
    return _serve(args.host, args.port)


def _serve(host: str, port: int) -> int:
    from waitress import serve

    from zonedesk.config.wsgi import application

    print(f"\n已启动：http://{host}:{port}/   （Ctrl+C 停止）", flush=True)
    serve(application, host=host, port=port, threads=8, ident="zonedesk")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    if args.migrate:
        call_command("migrate", interactive=False, verbosity=0)
    return _serve(args.host, args.port)


def cmd_token(args: argparse.Namespace) -> int:
    _setup()
    from zonedesk.access.services import token_create
    from zonedesk.core.audit import acting_as

    user = _user(args.user)
    with acting_as(user, source="cli"):
        print(token_create(user=user, name=args.name))
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    _setup()
    from zonedesk.access.models import OrgUnit
    from zonedesk.access.services import user_create
    from zonedesk.core.audit import acting_as
    from zonedesk.core.errors import DomainError

    password = os.environ.get(args.password_env) if args.password_env else None
    if not password:
        import getpass

        if not sys.stdin.isatty():
            return _fail("请通过 --password-env 指定保存密码的环境变量")
        password = getpass.getpass("密码：")
    unit = None
    if args.unit:
        unit = OrgUnit.objects.filter(name=args.unit).first()
        if unit is None:
            return _fail(f"单位“{args.unit}”不存在")
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
        return _fail(exc.message + "".join(f"\n  {k}：{'；'.join(v)}" for k, v in exc.fields.items()))
    print(f"已创建用户 {user.username}")
    return 0


def _parse_assignments(pairs: list[str]) -> dict[str, str | None]:
    data: dict[str, str | None] = {}
    for pair in pairs:
        if "=" not in pair:
            raise SystemExit(_fail(f"--set 的格式应为 字段=值：{pair}"))
        key, value = pair.split("=", 1)
        data[key.strip()] = value if value != "" else None
    return data


def cmd_project(args: argparse.Namespace) -> int:
    _setup()
    import datetime as dt

    from django.http import Http404

    from zonedesk.core.audit import acting_as
    from zonedesk.core.errors import DomainError
    from zonedesk.projects import selectors, services

    user = _user(args.user)
    try:
        project = selectors.project_get(user, args.id)
    except Http404:
        return _fail(f"项目 {args.id} 不存在或无权访问")
    try:
        with acting_as(user, source="cli"):
            if args.action == "update":
                project = services.project_update(
                    user=user,
                    project=project,
                    data=_parse_assignments(args.set),
                    expected_version=args.version,
                )
            else:
                project = services.project_advance(
                    user=user,
                    project=project,
                    to_stage=args.to,
                    occurred_on=dt.date.fromisoformat(args.date) if args.date else dt.date.today(),
                    evidence=args.evidence or "",
                )
    except DomainError as exc:
        return _fail(exc.message + "".join(f"\n  {k}：{'；'.join(v)}" for k, v in exc.fields.items()), code=1)
    except ValueError as exc:
        return _fail(f"日期格式应为 YYYY-MM-DD：{exc}")
    print(f"已保存：{project.name}（阶段：{project.get_stage_display()}，版本 {project.version}）")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zonedesk manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zonedesk", description="开发区招商项目台账系统")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="生成演示数据库并启动")
    demo.add_argument("--no-serve", action="store_true", help="只生成数据，不启动服务")
    demo.add_argument("--size", type=int, default=300, help="另外生成的项目数（默认 300；基准测试用 100000）")
    demo.add_argument("--enterprises", type=int, default=None, help="生成的企业数（默认随项目数）")
    demo.add_argument("--seed", type=int, default=20261121)
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--force", action="store_true", help="允许清空非 SQLite 数据库")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="启动服务")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--migrate", action="store_true", help="启动前执行数据库迁移")
    serve.set_defaults(func=cmd_serve)

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

    project = sub.add_parser("project", help="修改项目或推进阶段")
    project_sub = project.add_subparsers(dest="action", required=True)
    pupdate = project_sub.add_parser("update", help="修改字段：--set 字段=值")
    pupdate.add_argument("id", type=int)
    pupdate.add_argument("--user", required=True, help="以该用户身份操作（权限与历史记录均按此用户）")
    pupdate.add_argument("--set", action="append", default=[], metavar="字段=值")
    pupdate.add_argument("--version", type=int, default=None, help="读取时的版本号；不符则拒绝")
    pupdate.set_defaults(func=cmd_project)
    padv = project_sub.add_parser("advance", help="推进阶段")
    padv.add_argument("id", type=int)
    padv.add_argument("--user", required=True)
    padv.add_argument("--to", required=True, help="目标阶段代码，如 signed、started")
    padv.add_argument("--date", help="发生日期 YYYY-MM-DD，默认今天")
    padv.add_argument("--evidence", help="依据说明")
    padv.set_defaults(func=cmd_project)

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(sub)

    manage = sub.add_parser("manage", help="Django 管理命令", add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The extractor is pure Python and needs no database: hand it over before Django starts.
    if argv and argv[0] in {"extract", "extract-eval"}:
        from zonedesk.extract import cli as extract_cli

        return (extract_cli.main_extract if argv[0] == "extract" else extract_cli.main_eval)(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SystemExit as exc:  # a command's early exit (unknown user, zone out of reach): its code
        if isinstance(exc.code, int):
            return exc.code
        raise


if __name__ == "__main__":
    sys.exit(main())
