"""`make validate-rules`: check every rules file; `--write-schema` republishes the JSON Schemas."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .engine import build_engine
from .rules import DEFAULT_RULES_DIR, RulesError
from .rules.models import RULE_FILES


def schema_documents() -> dict[str, str]:
    """File name → JSON Schema text, generated from the pydantic models."""
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False)
        + "\n"
        for name, model in RULE_FILES.items()
    }


def write_schemas(rules_dir: Path) -> None:
    target = rules_dir / "schema"
    target.mkdir(exist_ok=True)
    for name, text in schema_documents().items():
        (target / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rules_dir", nargs="?", default=str(DEFAULT_RULES_DIR))
    parser.add_argument("--write-schema", action="store_true")
    args = parser.parse_args(argv)
    rules_dir = Path(args.rules_dir)
    if args.write_schema:
        write_schemas(rules_dir)
    try:
        engine = build_engine(rules_dir)
    except RulesError as exc:
        print(f"invalid rules: {exc}", file=sys.stderr)
        return 1
    print(f"rules OK: {len(RULE_FILES)} files in {rules_dir}, version {engine.rules.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
