"""The ``regassist`` command line: corpus, index, search, ask, serve, eval.

Each package registers its own sub-commands (``register(subparsers)``): ``corpus.cli`` (list, show, add),
``assistant.commands`` (index build, search, ask), ``assistant.web.cli`` (serve). Sub-commands of packages
above ``assistant`` (``regassist eval``) come through the ``regassist.commands`` entry-point group
(pyproject.toml), so ``assistant`` never imports ``evals``.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import entry_points


def build_parser() -> argparse.ArgumentParser:
    from assistant import commands
    from assistant.web import cli as web_cli
    from corpus import cli as corpus_cli

    p = argparse.ArgumentParser(prog="regassist", description="Cited answers about Vietnamese provincial regulations")
    sub = p.add_subparsers(dest="command", required=True)
    corpus_cli.register(sub)
    commands.register(sub)
    web_cli.register(sub)
    for ep in entry_points(group="regassist.commands"):  # e.g. `regassist eval` from the evals package
        ep.load()(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
