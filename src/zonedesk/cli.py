"""The ``zonedesk`` command: demo, serve, extract and ``manage`` for Django's own, and every app's commands
(each app declares its module as ``cli_module`` on its AppConfig; see ``core/contributions.py``)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from zonedesk.core.cli import DEFAULT_SETTINGS, fail, setup
from zonedesk.core.contributions import cli_modules


def cmd_demo(args: argparse.Namespace) -> int:
    from zonedesk.config.settings.base import data_dir

    data = data_dir()
    data.mkdir(parents=True, exist_ok=True)
    setup()
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        # Refresh: the demo database is rebuilt from scratch on every run.
        for suffix in ("", "-wal", "-shm"):
            Path(str(db["NAME"]) + suffix).unlink(missing_ok=True)
    else:
        if not args.force:
            return fail("演示数据会清空数据库；对非 SQLite 数据库请加 --force 确认")
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
    from zonedesk.core.deployment import waitress_options

    options = waitress_options()  # behind a reverse proxy: which peer's X-Forwarded-* to believe
    print(f"\n已启动：http://{host}:{port}/   （Ctrl+C 停止）", flush=True)
    if options:
        print(f"信任的反向代理：{options['trusted_proxy']}", flush=True)
    serve(application, host=host, port=port, threads=8, ident="zonedesk", **options)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    setup()
    from django.core.management import call_command

    if args.migrate:
        call_command("migrate", interactive=False, verbosity=0)
    return _serve(args.host, args.port)


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

    # Every app's commands, from the module its AppConfig declares (``cli_module``).
    for module_name in cli_modules():
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
