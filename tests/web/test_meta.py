"""Health, marketplaces, categories, facts, selectors and the generated OpenAPI document."""

from __future__ import annotations

from seller_support.rules import load_rules
from seller_support.web.openapi import ENDPOINTS

from ..conftest import call_json


def test_health_reports_rules_version(client):
    body = client.get("/api/v1/health").json
    assert body["status"] == "ok" and len(body["rules_version"]) == 12


def test_health_says_when_the_rules_were_last_edited(client):
    """The newest modification time of the rules files in service, for "rules updated on …"."""
    from datetime import UTC, datetime

    from seller_support.rules.loader import DEFAULT_RULES_DIR, MODEL_FILE, RULE_FILES

    files = [DEFAULT_RULES_DIR / f"{name}.yaml" for name in RULE_FILES]
    newest = max(p.stat().st_mtime for p in [*files, DEFAULT_RULES_DIR / MODEL_FILE])
    expected = datetime.fromtimestamp(newest, tz=UTC).replace(microsecond=0)
    body = client.get("/api/v1/health").json
    assert datetime.fromisoformat(body["rules_updated_at"]) == expected


def test_marketplaces_have_zones_and_domains(client):
    markets = {m["code"]: m for m in client.get("/api/v1/marketplaces").json["marketplaces"]}
    assert markets["US"]["timezone"] == "America/New_York"
    assert "sellercentral-europe.amazon.com" in markets["DE"]["domains"]
    assert markets["JP"]["domains"][0] == "sellercentral.amazon.co.jp"


def test_marketplaces_carry_ids_header_words_and_the_uncovered_ones(client):
    body = client.get("/api/v1/marketplaces").json
    markets = {m["code"]: m for m in body["marketplaces"]}
    assert markets["DE"]["marketplace_id"] == "A1PA6795UKMFR9"
    assert "deutschland" in markets["DE"]["header_words"]
    assert all(m["marketplace_id"] and m["header_words"] for m in markets.values())
    uncovered = {m["code"]: m for m in body["uncovered_marketplace_ids"]}
    assert uncovered["BR"]["marketplace_id"] == "A2Q3Y263D00KWC"
    assert uncovered["BR"]["name"]["en"] == "Brazil"
    assert not set(uncovered) & set(markets)


def test_marketplaces_name_every_marketplace_zone_as_sellers_do(client):
    body = client.get("/api/v1/marketplaces").json
    zones = {z["id"]: z for z in body["zones"]}
    assert {m["timezone"] for m in body["marketplaces"]} <= set(zones)
    assert zones["America/New_York"]["name"]["zh"] == "美东时间"
    assert zones["Asia/Kolkata"]["name"]["zh"] == "印度时间"
    assert {"Asia/Chongqing", "PRC"} <= set(zones["Asia/Shanghai"]["aliases"])
    common = [z["id"] for z in body["zones"] if z["seller_common"]]
    assert common[:5] == [
        "Asia/Shanghai",
        "Asia/Hong_Kong",
        "Asia/Taipei",
        "Asia/Singapore",
        "America/Los_Angeles",
    ]


def test_categories_carry_routes_materials_and_templates(client):
    categories = {c["id"]: c for c in client.get("/api/v1/categories").json["categories"]}
    required = {
        "account_deactivation",
        "listing_removed",
        "payment_anomaly",
        "advertising",
        "logistics",
        "brand_registry",
        "account_verification",
        "a_to_z_claim",
        "ip_complaint",
        "other",
    }
    assert required <= set(categories)
    assert {
        c: categories[c]["priority"]
        for c in ("account_deactivation", "listing_removed", "payment_anomaly")
    } == dict.fromkeys(("account_deactivation", "listing_removed", "payment_anomaly"), "high")
    routes = categories["brand_registry"]["special_channel"]["routes"]
    assert routes["US"].startswith("https://brandregistry.amazon.com/")
    # Only the global Brand Registry form is confirmed: every marketplace is sent there.
    assert set(routes.values()) == {routes["US"]}
    assert categories["account_verification"]["priority"] == "special"
    a_to_z = categories["a_to_z_claim"]["materials"]
    assert [(m["id"], m["attached"]) for m in a_to_z] == [
        ("order_id", False),
        ("proof_of_delivery", True),
    ]
    three = next(
        m for m in categories["account_deactivation"]["materials"] if m["id"] == "three_piece"
    )
    assert len(three["parts"]) == 3
    assert [t["id"] for t in categories["a_to_z_claim"]["templates"]] == [
        "a_to_z_claim",
        "follow_up",
        "refile",
    ]
    assert categories["brand_registry"]["templates"] == []  # a special channel's


def test_facts_include_the_statistics(client):
    facts = {f["id"]: f for f in client.get("/api/v1/facts").json["facts"]}
    assert "37%" in facts["materials_return_rate"]["text"]["en"]
    # 72 h is the usual reply time, not the follow-up's: a holiday peak's is longer.
    assert "72" in facts["followup_72h"]["text"]["zh"]
    assert "holiday peaks" in facts["followup_72h"]["text"]["en"]


def test_facts_say_where_they_come_from_and_where_they_show(live_backend):
    """What the extension's tips read, from the real server: each fact's kind of source,
    its situations and the data a situation needs (trigger words, categories, steps)."""
    status, body = call_json(live_backend, "GET", "/api/v1/facts")
    assert status == 200
    facts = {f["id"]: f for f in body["facts"]}
    rules = load_rules()
    assert set(facts) == set(rules.fact_by_id)
    amazon = {i for i, f in facts.items() if f["source"]["kind"] == "amazon"}
    assert amazon and all(facts[i]["source"]["title"] for i in amazon)
    # The guidelines, read from a public summary, say so; the case page's words were seen.
    assert facts["amazon_flag_urgent"]["source"]["paraphrase"] is True
    assert facts["amazon_reopen_within_5_days"]["source"]["paraphrase"] is False
    statistics = [f for f in facts.values() if f["kind"] == "statistic"]
    assert statistics and not any(f["source"]["verified"] for f in statistics)
    for fact in facts.values():
        rule = rules.fact_by_id[fact["id"]]
        assert fact["show_on"] == list(rule.show_on)
        assert (fact["triggers"] is not None) == ("mentions" in fact["show_on"])
    situations = {s for f in facts.values() for s in f["show_on"]}
    assert {"first_visit", "help_page", "template", "mentions", "category", "case_page"} <= (
        situations
    )
    walkthrough = [f for f in facts.values() if f["steps"]]
    assert walkthrough and all(s["zh"] and s["en"] for f in walkthrough for s in f["steps"])
    # The follow-up checklist, with Amazon's guidance among the article's steps.
    assert body["followup_steps"] == rules.facts.followup.steps
    assert {facts[i]["source"]["kind"] for i in body["followup_steps"]} == {"amazon", "article"}


def test_selectors_are_served_as_data(client):
    body = client.get("/api/v1/selectors").json
    assert body["anchors"]["submit"]["texts"]["zh"]
    assert all(entry["comment"] for entry in body["anchors"]["description"]["selectors"])
    assert body["anchors"]["reply"]["paths"] == ["/cu/case-dashboard/view-case"]
    assert body["anchors"]["description"]["paths"] is None  # every support page
    assert body["marketplace_param"] == {
        "name": "mons_sel_mkid",
        "prefixes": ["amzn1.mp.o."],
        "comment": body["marketplace_param"]["comment"],
    }
    assert {"category", "texts", "comment"} == set(body["page_categories"][0])
    assert body["case_links"]["case_log"]["path"] == "/cu/case-lobby"


def test_openapi_is_generated_for_every_endpoint(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    for ep in ENDPOINTS:
        operation = doc["paths"][ep.path][ep.method.lower()]
        success = operation["responses"][str(ep.status)]
        if ep.response is None:
            assert "content" not in success
            continue
        ref = success["content"]["application/json"]["schema"]["$ref"]
        assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"]
    hours_params = {p["name"] for p in doc["paths"]["/api/v1/hours"]["get"]["parameters"]}
    seller_settings = {"plan", "video_verified", "two_factor", "account_status"}
    assert hours_params == {"marketplace", "at", "tz"} | seller_settings
    case_ops = doc["paths"]["/api/v1/cases/{case_pk}"]
    assert set(case_ops) == {"get", "patch", "delete"}
    assert case_ops["delete"]["parameters"][0] == {
        "name": "case_pk",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
    }
    assert "201" in doc["paths"]["/api/v1/cases"]["post"]["responses"]
    assert len({op["operationId"] for ops in doc["paths"].values() for op in ops.values()}) == len(
        ENDPOINTS
    )
    precheck_schema = doc["components"]["schemas"]["PrecheckRequest"]
    assert precheck_schema["properties"]["contact_method"]["enum"] == ["case", "phone", "chat"]
    assert {"reference_numbers", "upload_offered", "stage"} <= set(precheck_schema["properties"])
    markets_schema = doc["components"]["schemas"]["MarketplacesResponse"]
    assert "uncovered_marketplace_ids" in markets_schema["required"]
    assert (
        doc["components"]["schemas"]["CasePatch"]["properties"]["case_id"]["anyOf"][0]["pattern"]
        == "^[0-9]{8,14}$"
    )
