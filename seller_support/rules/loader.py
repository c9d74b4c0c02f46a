"""Load, validate and index the rules in shared-rules/."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from .models import (
    RULE_FILES,
    CategoriesFile,
    Category,
    Check,
    ChecksFile,
    Fact,
    FactsFile,
    HoursFile,
    Marketplace,
    MarketplacesFile,
    Material,
    MaterialsFile,
    ModelFile,
    SelectorsFile,
    Template,
    TemplatesFile,
)
from .parse_cache import parse_cached

# An installed wheel carries the rules as package data (setup.py copies shared-rules/ into
# it); a checkout, and an editable install of one, reads shared-rules/ itself.
_PACKAGED_RULES = Path(__file__).resolve().parents[1] / "shared_rules"
_CHECKOUT_RULES = Path(__file__).resolve().parents[2] / "shared-rules"
DEFAULT_RULES_DIR = _PACKAGED_RULES if _PACKAGED_RULES.is_dir() else _CHECKOUT_RULES


def configured_rules_dir() -> str:
    """SSC_RULES_DIR (a seller's own edited copy), else the rules this install carries."""
    return os.environ.get("SSC_RULES_DIR", str(DEFAULT_RULES_DIR))


# The learned classifier, fitted by `make train` (seller_support/train.py).
MODEL_FILE = "model/classifier.json"


class RulesError(Exception):
    """A rules file is missing or invalid; the message says which file, field and problem."""


@dataclass(frozen=True)
class Rules:
    marketplaces: MarketplacesFile
    hours: HoursFile
    categories: CategoriesFile
    materials: MaterialsFile
    checks: ChecksFile
    facts: FactsFile
    selectors: SelectorsFile
    templates: TemplatesFile
    model: ModelFile
    version: str = field(default="")
    # When the rules in service were last edited (their files' newest modification time),
    # for the seller: "rules updated on …" means more to them than the version hash.
    updated_at: datetime | None = None

    @cached_property
    def marketplace_by_code(self) -> dict[str, Marketplace]:
        return {m.code: m for m in self.marketplaces.marketplaces}

    @cached_property
    def category_by_id(self) -> dict[str, Category]:
        return {c.id: c for c in self.categories.categories}

    @cached_property
    def material_by_id(self) -> dict[str, Material]:
        return {m.id: m for m in self.materials.materials}

    @cached_property
    def fact_by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts.facts}

    @cached_property
    def check_by_code(self) -> dict[str, Check]:
        return {c.code: c for c in self.checks.checks}

    @cached_property
    def template_by_id(self) -> dict[str, Template]:
        return {t.id: t for t in self.templates.templates}


def _describe(error: dict, data) -> str:
    """`categories.5[a_to_z_claim].signals.0.patterns.0: ...`: the path, with the id or
    code of each listed rule on the way, so the rule can be found by name."""
    parts = []
    for part in error["loc"]:
        data = data[part] if isinstance(data, list | dict) and _has(data, part) else None
        name = data.get("id") or data.get("code") if isinstance(data, dict) else None
        shown = str(part)
        if isinstance(part, int) and isinstance(name, str):
            shown += f"[{name}]"
        parts.append(shown)
    where = ".".join(parts) or "(top level)"
    return f"{where}: {error['msg']}"


def _has(data, part) -> bool:
    if isinstance(data, list):
        return isinstance(part, int) and -len(data) <= part < len(data)
    return part in data


class _NotYaml(Exception):
    """A rules file's text is not valid YAML; the message is PyYAML's, with the line."""


def _parse_yaml(text: str):
    # Imported here, not at the top: a start with unchanged rules reads them from the parse
    # cache and never needs PyYAML (about 16 ms of a start). libyaml's loader reads them about
    # 8 times faster than PyYAML's own; the same safe subset of YAML.
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        raise _NotYaml(str(exc)) from exc


def _parse(path: Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return parse_cached(path, text, _parse_yaml)


def _load_file(path: Path, model: type):
    try:
        data = _parse(path)
    except FileNotFoundError as exc:
        raise RulesError(f"{path}: file is missing") from exc
    except UnicodeDecodeError as exc:
        raise RulesError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise RulesError(f"{path}: cannot be read: {exc}") from exc
    except _NotYaml as exc:
        raise RulesError(f"{path}: not valid YAML: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise RulesError(f"{path}: not valid JSON: {exc}") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_describe(e, data) for e in exc.errors()[:5])
        raise RulesError(f"{path}: {problems}") from exc


def load_rule_file(rules_dir: Path | str, name: str):
    """One rules file on its own (`make train` needs categories.yaml before a model exists)."""
    return _load_file(Path(rules_dir) / f"{name}.yaml", RULE_FILES[name])


def _content_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _last_modified(paths: list[Path]) -> datetime:
    newest = max(path.stat().st_mtime for path in paths)
    return datetime.fromtimestamp(newest, tz=UTC).replace(microsecond=0)


def _refuse_unknown(used, known, where: Path, field: str, what: str, hint: str = "") -> None:
    unknown = set(used) - set(known)
    if unknown:
        raise RulesError(f"{where}: {field}: {what}{sorted(unknown)}{hint}")


def _check_references(rules: Rules, rules_dir: Path) -> None:
    """Cross-file references: codes and ids used in one file must exist in another."""
    known_markets = set(rules.marketplace_by_code)
    hours, facts = rules_dir / "hours.yaml", rules_dir / "facts.yaml"
    for i, schedule in enumerate(rules.hours.schedules):
        field = f"schedules.{i}.marketplaces"
        hint = f"; known: {sorted(known_markets)}"
        _refuse_unknown(
            schedule.marketplaces, known_markets, hours, field, "unknown marketplace ", hint
        )
    for i, notice in enumerate(rules.hours.notices):
        field = f"notices.{i}.marketplaces"
        _refuse_unknown(notice.marketplaces, known_markets, hours, field, "unknown marketplace ")
    categories = rules.category_by_id
    field = "followup.account_categories"
    _refuse_unknown(
        rules.facts.followup.account_categories, categories, facts, field, "unknown category "
    )
    for fact in rules.facts.facts:
        field = f"facts[{fact.id}].categories"
        _refuse_unknown(fact.categories, categories, facts, field, "unknown category ")
    for check in rules.checks.checks:
        field = f"checks[{check.code}].see_also"
        where = rules_dir / "checks.yaml"
        _refuse_unknown(
            check.see_also, rules.fact_by_id, where, field, "", " not defined in facts.yaml"
        )
    for i, entry in enumerate(rules.selectors.page_categories):
        if entry.category not in rules.category_by_id:
            raise RulesError(
                f"{rules_dir / 'selectors.yaml'}: page_categories.{i}.category: "
                f"unknown category {entry.category!r}; known: {sorted(rules.category_by_id)}"
            )
    if sorted(rules.model.classes) != sorted(rules.category_by_id):
        raise RulesError(
            f"{rules_dir / MODEL_FILE}: classes {sorted(rules.model.classes)} are not the "
            f"categories of categories.yaml {sorted(rules.category_by_id)}; run `make train`"
        )
    for category in rules.categories.categories:
        special = category.special_channel
        if special is not None and set(special.routes) != known_markets:
            raise RulesError(
                f"{rules_dir / 'categories.yaml'}: {category.id}.special_channel.routes: "
                f"needs exactly the marketplaces {sorted(known_markets)}; missing "
                f"{sorted(known_markets - set(special.routes))}, unknown "
                f"{sorted(set(special.routes) - known_markets)}"
            )
    known_materials = set(rules.material_by_id)
    for category in rules.categories.categories:
        missing = set(category.materials) - known_materials
        if missing:
            raise RulesError(
                f"{rules_dir / 'categories.yaml'}: {category.id}.materials: "
                f"{sorted(missing)} not defined in materials.yaml"
            )


def _check_templates(rules: Rules, rules_dir: Path) -> None:
    """Templates name real categories, one for each regular category and none for a special
    channel's; placeholders fill from real id patterns; every marketplace has a spelling."""
    where = rules_dir / "templates.yaml"
    owner: dict[str, str] = {}
    for template in rules.templates.templates:
        for category_id in template.categories:
            category = rules.category_by_id.get(category_id)
            if category is None:
                raise RulesError(
                    f"{where}: templates[{template.id}].categories: unknown {category_id!r}"
                )
            if category.special_channel is not None:
                raise RulesError(
                    f"{where}: templates[{template.id}].categories: {category_id} goes to a "
                    f"special channel, not regular Seller Support: no template for it"
                )
            if category_id in owner:
                raise RulesError(
                    f"{where}: {category_id} has two templates: {owner[category_id]}, {template.id}"
                )
            owner[category_id] = template.id
    regular = {c.id for c in rules.categories.categories if c.special_channel is None}
    if regular - set(owner):
        raise RulesError(f"{where}: no template for {sorted(regular - set(owner))}")
    ids = {m.id for m in rules.materials.materials if m.detect} | set(rules.materials.identifiers)
    for name, placeholder in rules.templates.placeholders.items():
        if placeholder.identifier is not None and placeholder.identifier not in ids:
            raise RulesError(
                f"{where}: placeholders.{name}.identifier: {placeholder.identifier!r} is no id "
                f"pattern of materials.yaml; known: {sorted(ids)}"
            )
    spelled = set(rules.templates.spelling.marketplaces)
    if spelled != set(rules.marketplace_by_code):
        raise RulesError(
            f"{where}: spelling.marketplaces must name each marketplace once; missing "
            f"{sorted(set(rules.marketplace_by_code) - spelled)}, unknown "
            f"{sorted(spelled - set(rules.marketplace_by_code))}"
        )


def _rule_paths(rules_dir: Path) -> dict[str, Path]:
    paths = {name: rules_dir / f"{name}.yaml" for name in RULE_FILES}
    paths["model"] = rules_dir / MODEL_FILE
    return paths


def rules_version(rules_dir: Path | str) -> str:
    """The version `load_rules` would give the files as they are now, without loading them."""
    return _content_hash(list(_rule_paths(Path(rules_dir)).values()))


def load_rules(rules_dir: Path | str = DEFAULT_RULES_DIR) -> Rules:
    rules_dir = Path(rules_dir)
    paths = _rule_paths(rules_dir)
    files = {**RULE_FILES, "model": ModelFile}
    parsed = {name: _load_file(path, files[name]) for name, path in paths.items()}
    rules = Rules(
        **parsed,
        version=_content_hash(list(paths.values())),
        updated_at=_last_modified(list(paths.values())),
    )
    _check_references(rules, rules_dir)
    _check_templates(rules, rules_dir)
    return rules
