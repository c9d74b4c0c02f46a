"""Rules files: a bad edit stops start-up with one message naming file, field and problem."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from seller_support.domain.engine import build_engine
from seller_support.domain.text import normalize
from seller_support.rules import DEFAULT_RULES_DIR, RulesError, load_rules
from seller_support.rules.loader import rules_version
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
        *rules.templates.templates,
    ]
    article = normalize(SOURCE_ARTICLE.read_text(encoding="utf-8"))
    quoting_the_article = [rule for rule in sourced if rule.source.kind == "article"]
    assert quoting_the_article
    for rule in quoting_the_article:
        for fragment in rule.source.quote.split("……"):  # "……" marks an elision
            assert normalize(fragment).strip("。") in article, fragment


def test_amazons_guidance_names_its_first_party_page_and_the_article_is_never_verified():
    facts = load_rules().facts.facts
    amazon = [f for f in facts if f.source.kind == "amazon"]
    # The guidelines' five points (issue 14) and the case page's 5-day window.
    assert len(amazon) >= 6
    assert all(f.source.title and f.source.verified for f in amazon)
    assert not any(f.source.verified for f in facts if f.source.kind == "article")
    reopen = next(f for f in amazon if "5 days" in f.source.quote)
    assert reopen.source.url == "/cu/case-dashboard/view-case"
    # The guidelines' words come from a public summary, not Amazon's page: said so.
    guidelines = [f for f in amazon if f.source.title.startswith("Guidelines")]
    assert guidelines and all(f.source.paraphrase for f in guidelines)


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
            ["marketplaces.yaml", "marketplaces.0[US].colour", "Extra inputs"],
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
            "checks",
            lambda d: d["checks"][-1].update(see_also=["not_a_fact"]),
            ["checks.yaml", "see_also", "not_a_fact", "facts.yaml"],
        ),
        (
            "facts",
            lambda d: d["facts"][0]["source"].update(verified=True),
            ["facts.yaml", "facts.0[materials_return_rate].source", "kind: amazon"],
        ),
        (
            "facts",
            lambda d: d["facts"][0]["source"].update(paraphrase=True),
            ["facts.yaml", "facts.0[materials_return_rate].source", "paraphrase"],
        ),
        (
            "marketplaces",
            lambda d: d["zones"][0]["aliases"].append("Asia/Tokyo"),
            ["marketplaces.yaml", "zones.0", "'Asia/Tokyo'", "same time"],
        ),
        (
            "facts",
            lambda d: d["facts"][0].update(show_on=["mentions"]),
            ["facts.yaml", "facts.0[materials_return_rate]", "triggers"],
        ),
        (
            "categories",
            lambda d: d["categories"][0].update(materials=["passport"]),
            ["categories.yaml", "materials"],
        ),
        (
            "categories",
            lambda d: next(c for c in d["categories"] if c["id"] == "brand_registry")[
                "special_channel"
            ]["routes"].pop("JP"),
            ["categories.yaml", "brand_registry.special_channel.routes", "missing ['JP']"],
        ),
        (
            "hours",
            lambda d: d["channel_barriers"][0].update(channels=["case"]),
            ["hours.yaml", "channel_barriers.0[individual_plan].channels"],
        ),
        (
            "hours",
            lambda d: d["channel_barriers"][0].update(when={}),
            ["hours.yaml", "channel_barriers.0[individual_plan].when", "at least one setting"],
        ),
        (
            "selectors",
            lambda d: d["page_categories"][0].update(category="fba"),
            ["selectors.yaml", "page_categories.0.category", "'fba'", "logistics"],
        ),
        (
            "selectors",
            lambda d: d["anchors"]["reply"].update(paths=["/orders-v3"]),
            ["selectors.yaml", "anchors.reply.paths", "/orders-v3", "support_pages"],
        ),
        (
            "selectors",
            lambda d: d["page_categories"].append(
                {"category": "other", "texts": {"en": ["FBA related"]}, "comment": "x"}
            ),
            ["selectors.yaml", "FBA related", "logistics", "other"],
        ),
        (
            "selectors",
            lambda d: d.pop("marketplace_param"),
            ["selectors.yaml", "marketplace_param", "Field required"],
        ),
        (
            "marketplaces",
            lambda d: d["uncovered_marketplace_ids"].append(
                {"code": "US", "marketplace_id": "A1234567890", "name": {"zh": "x", "en": "x"}}
            ),
            ["marketplaces.yaml", "listed twice", "US"],
        ),
        (
            "marketplaces",
            lambda d: d["uncovered_marketplace_ids"][0].update(marketplace_id="ATVPDKIKX0DER"),
            ["marketplaces.yaml", "marketplace_id listed twice", "ATVPDKIKX0DER"],
        ),
        (
            "marketplaces",
            lambda d: d["marketplaces"][0].update(holiday_country="XQ"),
            ["marketplaces.yaml", "marketplaces.0[US].holiday_country", "no country 'XQ'"],
        ),
        (
            "marketplaces",
            lambda d: d["marketplaces"][0].update(marketplace_id="amzn1.mp.o.ATVPDKIKX0DER"),
            ["marketplaces.yaml", "marketplaces.0[US].marketplace_id"],
        ),
        (
            "marketplaces",
            lambda d: d.update(zones=[z for z in d["zones"] if z["id"] != "Asia/Kolkata"]),
            ["marketplaces.yaml", "without a name in zones", "Asia/Kolkata"],
        ),
        (
            "checks",
            lambda d: d["checks"][0].update(stages=["review"]),
            ["checks.yaml", "checks.0[missing_order_id].stages"],
        ),
        (
            "checks",
            lambda d: d["checks"][0].update(stages=["send", "send"]),
            ["checks.yaml", "stages lists a stage twice"],
        ),
        (
            "checks",
            lambda d: next(c for c in d["checks"] if c["code"] == "channel_closed").update(
                stages=["describe", "send"]
            ),
            ["checks.yaml", "stages", "channel_closed", "stages: [send]"],
        ),
    ],
)
def test_bad_rules_give_one_actionable_message(rules_copy, name, change, expected):
    edit(rules_copy, name, change)
    with pytest.raises(RulesError) as caught:
        build_engine(rules_copy)
    for fragment in expected:
        assert fragment in str(caught.value)


def _template(data: dict, template_id: str) -> dict:
    return next(t for t in data["templates"] if t["id"] == template_id)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: _template(d, "other").update(body="Hello [SOMEONE], [QUESTION]"),
            ["templates.yaml", "[SOMEONE] is not declared"],
        ),
        (
            lambda d: _template(d, "other").update(body="Hello [Store Name], [QUESTION]"),
            ["templates.yaml", "square brackets only as placeholders"],
        ),
        (
            lambda d: d["placeholders"].update(
                UNUSED={
                    "label": {"zh": "x", "en": "x"},
                    "explain": {"zh": "没有用", "en": "unused"},
                    "example": "x",
                }
            ),
            ["templates.yaml", "placeholders no template uses: UNUSED"],
        ),
        (
            lambda d: _template(d, "other").update(categories=["other", "brand_registry"]),
            ["templates.yaml", "brand_registry goes to a special channel", "no template"],
        ),
        (
            lambda d: _template(d, "advertising").update(kind="refile", categories=[]),
            ["templates.yaml", "no template for ['advertising']"],
        ),
        (
            lambda d: d["placeholders"]["ORDER_ID"].update(identifier="order_number"),
            ["templates.yaml", "placeholders.ORDER_ID.identifier", "'order_number'"],
        ),
        (
            lambda d: d["spelling"]["marketplaces"].pop("AU"),
            ["templates.yaml", "spelling.marketplaces", "missing ['AU']"],
        ),
        (
            lambda d: d["spelling"]["variants"]["british"]["words"].update(color="colour"),
            ["templates.yaml", "in no template: ['color']"],
        ),
    ],
)
def test_bad_templates_give_one_actionable_message(rules_copy, change, expected):
    test_bad_rules_give_one_actionable_message(rules_copy, "templates", change, expected)


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


def test_identifier_patterns_use_ascii_classes_only():
    """Python's \\d and \\w match other scripts' digits and letters, JavaScript's do not:
    the extension runs the same patterns (GET /api/v1/contract)."""
    rules = load_rules()
    patterns = {m.id: m.detect for m in rules.materials.materials if m.detect}
    patterns.update({name: i.detect for name, i in rules.materials.identifiers.items()})
    for name, pattern in patterns.items():
        assert not re.search(r"\\[dwDW]", pattern), f"{name}: write [0-9] / [A-Za-z0-9_]"


def test_checks_run_at_both_stages_unless_told():
    checks = load_rules().check_by_code
    assert checks["missing_order_id"].stages == ["describe", "send"]
    for code in ("channel_ineligible", "channel_closed", "channel_scope"):
        assert checks[code].stages == ["send"], code


def test_version_changes_with_content(rules_copy):
    before = load_rules(rules_copy).version
    assert rules_version(rules_copy) == before
    edit(rules_copy, "facts", lambda d: d["facts"].pop())
    assert rules_version(rules_copy) == load_rules(rules_copy).version != before


def test_the_app_imports_no_holiday_calendar_and_no_watcher_to_start(tmp_path):
    """Start-up cost: the holiday countries are checked against the library's registry (its
    list_supported_countries() imports all 250 calendars), and watchdog waits for a watch."""
    script = (
        "import sys; from seller_support.web import create_app; "
        "create_app({'CASES_DB': sys.argv[1]}); "
        "print(sorted(m for m in sys.modules if m.startswith(('holidays.countries.', 'watchdog'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "cases.sqlite3")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
