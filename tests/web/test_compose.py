"""POST /api/v1/compose: a template with the known values filled in, over HTTP."""

from __future__ import annotations

import pytest

from ..conftest import call_json


def test_compose_fills_ids_marketplace_and_date_on_the_real_server(live_backend):
    status, body = call_json(
        live_backend,
        "POST",
        "/api/v1/compose",
        {
            "category": "a_to_z_claim",
            "marketplace": "UK",
            "text": "买家说没收到货",
            "reference_numbers": ["206-1234567-7654321"],
            "values": {"STORE_NAME": "Sunrise Home", "ATTACHMENTS": "tracking.pdf"},
            "at": "2026-12-02T09:00:00+08:00",
        },
    )
    assert status == 200, body
    assert body["template"]["id"] == "a_to_z_claim" and body["spelling"] == "british"
    assert (
        body["subject"]
        == "A-to-z Guarantee claim on order 206-1234567-7654321 – request for review"
    )
    assert "order 206-1234567-7654321 on the United Kingdom marketplace" in body["text"]
    assert "Sunrise Home" in body["text"] and "Attached: tracking.pdf." in body["text"]
    assert "买家" not in body["text"]
    filled = {f["name"]: f for f in body["filled"]}
    assert filled["ORDER_ID"] == {
        "name": "ORDER_ID",
        "label": {"zh": "订单编号", "en": "order ID"},
        "value": "206-1234567-7654321",
    }
    assert [f["name"] for f in body["filled"]] == [
        "ORDER_ID",
        "MARKETPLACE",
        "ATTACHMENTS",
        "STORE_NAME",
    ]
    remaining = {r["name"]: r for r in body["remaining"]}
    assert "[ORDER_ID]" not in remaining and "[CLAIM_DATE]" in remaining
    claim_date = remaining["[CLAIM_DATE]"]
    assert claim_date["explain"]["zh"] and claim_date["explain"]["en"] and claim_date["example"]
    assert claim_date["label"] == {"zh": "索赔日期", "en": "claim date"}
    assert body["submit_where"] is None


def test_the_plan_of_action_says_it_goes_to_the_account_health_appeal(client):
    body = client.post("/api/v1/compose", json={"category": "account_deactivation"}).json
    assert body["template"]["id"] == "plan_of_action"
    assert (
        "Account Health" in body["submit_where"]["en"] and "账户健康" in body["submit_where"]["zh"]
    )


def test_only_the_case_id_the_client_knows_is_filled_in(live_backend):
    """A tracking number's digits look like a case id: not filled; the case page's is."""
    request = {"template": "refile", "text": "UPS tracking 1Z999AA10123456784"}
    status, guessed = call_json(live_backend, "POST", "/api/v1/compose", request)
    assert status == 200, guessed
    assert "CASE_ID" not in [f["name"] for f in guessed["filled"]]
    assert "[CASE_ID]" in [r["name"] for r in guessed["remaining"]]
    request["values"] = {"CASE_ID": "22153077391"}
    status, given = call_json(live_backend, "POST", "/api/v1/compose", request)
    assert status == 200, given
    assert {"CASE_ID": "22153077391"}.items() <= {
        f["name"]: f["value"] for f in given["filled"]
    }.items()
    assert "(earlier case 22153077391)" in given["subject"]


def test_today_is_the_marketplaces_date(client):
    # 08:00 in Beijing on 3 December is still 2 December in New York.
    body = client.post(
        "/api/v1/compose",
        json={"template": "follow_up", "marketplace": "US", "at": "2026-12-03T08:00:00+08:00"},
    ).json
    assert "As of December 2, 2026 we have had no reply" in body["text"]


@pytest.mark.parametrize(
    ("request_body", "code", "words"),
    [
        ({"category": "brand_registry"}, "no_template", ["Brand Registry", "专用", "没有工单模板"]),
        (
            {"category": "account_verification", "template": "refile"},
            "no_template",
            ["identity verification", "没有工单模板"],
        ),
        ({"template": "nope"}, "unknown_template", ["'nope'", "follow_up", "没有这个模板"]),
        (
            {"category": "logistics", "template": "plan_of_action"},
            "template_not_for_category",
            ["plan_of_action", "logistics", "不适用"],
        ),
        ({}, "unknown_template", ["template", "category", "请指定"]),
        ({"category": "other", "values": {"COLOUR": "red"}}, "unknown_placeholder", ["COLOUR"]),
        ({"category": "other", "values": {"store name": "x"}}, "invalid_input", ["values"]),
        ({"category": "other", "marketplace": "XX"}, "unknown_marketplace", ["'XX'"]),
        ({"category": "other", "text": "x" * 10_001}, "invalid_input", ["text"]),
    ],
)
def test_bad_requests_get_a_clear_error(client, request_body, code, words):
    response = client.post("/api/v1/compose", json=request_body)
    assert response.status_code == 422, response.json
    assert response.json["code"] == code
    for word in words:
        assert word in response.json["message"], response.json


def test_compose_is_in_the_openapi_document(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/compose"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ComposeRequest"
    )
