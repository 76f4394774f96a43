"""The evaluation corpus: the shipped documents plus every file of ``../shared/corpus-extra``, added through the
public add path (``corpus.ingest.add_file``, as ``regassist corpus add`` does) into a separate data directory.

    python -m evals.extra_corpus --data-dir .regassist-data/eval [--extra ../shared/corpus-extra]

Each file is added under its file name as id (the ids the gold questions use); files already added are skipped,
so the command is idempotent. The extra texts are read where they are, never copied into the project.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXTRA = ROOT.parent / "shared" / "corpus-extra"


def extra_files(extra_dir: Path = DEFAULT_EXTRA) -> list[Path]:
    return sorted(p for p in extra_dir.glob("*.txt") if p.is_file())


def add_extra(data_dir: Path, extra_dir: Path = DEFAULT_EXTRA) -> list[str]:
    """Add every corpus-extra file not yet in the corpus of ``data_dir``; the ids added."""
    from corpus.ingest import add_file, build_full_corpus

    present = set(build_full_corpus(data_dir).documents)
    added = []
    for path in extra_files(extra_dir):
        if path.stem in present:
            continue
        add_file(path, data_dir=data_dir, overrides={"id": path.stem})
        added.append(path.stem)
    return added


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.extra_corpus", description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--extra", type=Path, default=DEFAULT_EXTRA)
    args = ap.parse_args(argv)
    if not args.extra.is_dir():
        print(f"{args.extra} is absent: the evaluation corpus is the shipped corpus only", file=sys.stderr)
        return 0
    added = add_extra(args.data_dir, args.extra)
    print(f"{len(added)} added, {len(extra_files(args.extra)) - len(added)} already present -> {args.data_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
