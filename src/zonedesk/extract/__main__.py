"""python -m zonedesk.extract {extract,extract-eval} …  (what `zonedesk extract…` dispatches to)."""

from __future__ import annotations

import sys

from .cli import main_eval, main_extract

_COMMANDS = {"extract": main_extract, "extract-eval": main_eval}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in _COMMANDS:
        print("usage: python -m zonedesk.extract {extract,extract-eval} ...", file=sys.stderr)
        return 2
    return _COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
