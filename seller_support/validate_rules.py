"""`ssc validate-rules`: check every rules file (`make generate` republishes their schemas)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .domain.engine import build_engine
from .preflight import rules_problem
from .rules import DEFAULT_RULES_DIR, RulesError
from .rules.models import RULE_FILES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ssc validate-rules", description=__doc__)
    parser.add_argument("rules_dir", nargs="?", default=str(DEFAULT_RULES_DIR))
    args = parser.parse_args(argv)
    rules_dir = Path(args.rules_dir)
    try:
        engine = build_engine(rules_dir)
    except RulesError as exc:
        print(rules_problem(exc), file=sys.stderr)
        return 1
    print(
        f"规则有效 / rules OK: {len(RULE_FILES)} files in {rules_dir}, "
        f"version {engine.rules.version}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
