"""Health, marketplaces, categories, facts, selectors and the generated OpenAPI document."""

from __future__ import annotations

from seller_support.web.openapi import ENDPOINTS


def test_health_reports_rules_version(client):
    body = client.get("/api/v1/health").json
    assert body["status"] == "ok" and len(body["rules_version"]) == 12


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
    assert categories["brand_registry"]["special_channel"]["url"].startswith("https://")
    assert categories["account_verification"]["priority"] == "special"
    assert [m["id"] for m in categories["a_to_z_claim"]["materials"]] == ["order_id", "evidence"]
    three = next(
        m for m in categories["account_deactivation"]["materials"] if m["id"] == "three_piece"
    )
    assert len(three["parts"]) == 3
    assert "[ORDER ID]" in categories["a_to_z_claim"]["template"]


def test_facts_include_the_statistics(client):
    facts = {f["id"]: f for f in client.get("/api/v1/facts").json["facts"]}
    assert "37%" in facts["materials_return_rate"]["text"]["en"]
    assert "72" in facts["followup_72h"]["text"]["zh"]


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
    assert hours_params == {"marketplace", "at", "tz"}
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
