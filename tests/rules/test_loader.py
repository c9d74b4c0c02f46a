"""Rules files: a bad edit stops start-up with one message naming file, field and problem."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from seller_support.domain.engine import build_engine
from seller_support.domain.text import normalize
from seller_support.rules import DEFAULT_RULES_DIR, RulesError, load_rules
from seller_support.web import create_app

SOURCE_ARTICLE = DEFAULT_RULES_DIR / "source" / "article-zh.txt"


@pytest.fixture()
def rules_copy(tmp_path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target)
    return target


def edit(rules_dir: Path, name: str, change) -> None:
    path = rules_dir / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_shipped_rules_load_and_cover_the_required_marketplaces():
    rules = load_rules()
    assert {"US", "CA", "MX", "UK", "DE", "FR", "IT", "ES", "JP", "IN", "AU"} <= set(
        rules.marketplace_by_code
    )
    assert "GB" not in rules.marketplace_by_code
    assert len(rules.version) == 12


def test_every_rule_quotes_its_source_verbatim():
    rules = load_rules()
    sourced = [
        *rules.hours.schedules,
        *rules.hours.holiday_peaks,
        *rules.hours.notices,
        *rules.categories.categories,
        *rules.materials.materials,
        *rules.checks.checks,
        *rules.facts.facts,
        rules.facts.followup,
    ]
    article = normalize(SOURCE_ARTICLE.read_text(encoding="utf-8"))
    for rule in sourced:
        for fragment in rule.source.quote.split("……"):  # "……" marks an elision
            assert normalize(fragment).strip("。") in article, fragment


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        (
            "hours",
            lambda d: d["schedules"][0].update(timezone="America/Atlantis"),
            ["hours.yaml", "schedules.0.timezone", "America/Atlantis"],
        ),
        (
            "marketplaces",
            lambda d: d["marketplaces"][0].update(colour="red"),
            ["marketplaces.yaml", "marketplaces.0.colour", "Extra inputs"],
        ),
        (
            "categories",
            lambda d: (
                d["categories"][0]["signals"][0].setdefault("patterns", []).append("(unclosed")
            ),
            ["categories.yaml", "patterns", "(unclosed"],
        ),
        (
            "hours",
            lambda d: d["schedules"][0].update(marketplaces=["ZZ"]),
            ["hours.yaml", "schedules.0.marketplaces", "ZZ"],
        ),
        (
            "checks",
            lambda d: d["checks"].append({**d["checks"][0], "code": "made_up"}),
            ["checks.yaml", "made_up"],
        ),
        (
            "categories",
            lambda d: d["categories"][0].update(materials=["passport"]),
            ["categories.yaml", "materials"],
        ),
    ],
)
def test_bad_rules_give_one_actionable_message(rules_copy, name, change, expected):
    edit(rules_copy, name, change)
    with pytest.raises(RulesError) as caught:
        build_engine(rules_copy)
    for fragment in expected:
        assert fragment in str(caught.value)


def test_missing_file_is_named(rules_copy):
    (rules_copy / "facts.yaml").unlink()
    with pytest.raises(RulesError, match=r"facts\.yaml: file is missing"):
        create_app({"RULES_DIR": str(rules_copy)})


def test_validate_rules_exits_non_zero_on_bad_rules(rules_copy):
    (rules_copy / "hours.yaml").write_text("schedules: [\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "seller_support.validate_rules", str(rules_copy)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "hours.yaml" in result.stderr and "not valid YAML" in result.stderr


def test_validate_rules_passes_on_shipped_rules():
    result = subprocess.run(
        [sys.executable, "-m", "seller_support.validate_rules"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_version_changes_with_content(rules_copy):
    before = load_rules(rules_copy).version
    edit(rules_copy, "facts", lambda d: d["facts"].pop())
    assert load_rules(rules_copy).version != before
