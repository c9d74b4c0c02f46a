"""Pre-submit check: what each finding says, and a clean case with none."""

from __future__ import annotations

SELLER_OK = {"plan": "professional", "video_verified": True, "two_factor": True}
NOON_EASTERN = "2026-07-01T12:00:00-04:00"


def precheck(client, **fields) -> dict:
    body = {"marketplace": "US", "seller": SELLER_OK, "at": NOON_EASTERN, **fields}
    response = client.post("/api/v1/precheck", json=body)
    assert response.status_code == 200, response.json
    return response.json


def finding(result: dict, code: str) -> dict:
    return next(f for f in result["findings"] if f["code"] == code)


def test_complete_english_case_has_no_findings(client):
    result = precheck(
        client,
        category="advertising",
        contact_method="case",
        text="My Sponsored Products campaign has had no impressions since Monday.",
    )
    assert result["findings"] == []
    assert result["language"] == "en"


def test_a_to_z_without_materials_lists_everything_missing(client):
    result = precheck(client, category="a_to_z_claim", text="买家发起了A-to-z索赔，说没收到货")
    codes = [f["code"] for f in result["findings"]]
    assert {"missing_order_id", "missing_evidence", "non_english"} <= set(codes)
    assert "37%" in finding(result, "missing_order_id")["message"]["en"]
    assert finding(result, "missing_order_id")["source"]["quote"]


def test_findings_are_ordered_by_severity(client):
    result = precheck(
        client,
        category="account_deactivation",
        contact_method="phone",
        seller={"plan": "individual"},
        text="账号被封了",
    )
    severities = [f["severity"] for f in result["findings"]]
    order = {"error": 0, "warning": 1, "info": 2}
    assert severities == sorted(severities, key=order.get)
    assert severities[0] == "error"


def test_phone_ineligible_names_every_missing_requirement(client):
    result = precheck(
        client,
        category="account_deactivation",
        contact_method="phone",
        seller={"plan": "individual", "video_verified": False, "two_factor": False},
        text="Our account was suspended.",
    )
    message = finding(result, "phone_ineligible")["message"]
    assert (
        "individual" in message["en"] and "video" in message["en"] and "two-factor" in message["en"]
    )
    assert "个人卖家" in message["zh"]


def test_special_channel_names_the_channel_and_link(client):
    result = precheck(client, category="brand_registry", text="Brand Registry enrollment rejected.")
    message = finding(result, "special_channel")["message"]
    assert (
        "Brand Registry" in message["en"] and "https://brandregistry.amazon.com/" in message["en"]
    )


def test_category_mismatch_names_the_better_category(client):
    result = precheck(
        client,
        category="advertising",
        text="Buyer opened an A-to-z guarantee claim on order 114-1111111-2222222.",
    )
    assert "A-to-z Guarantee claim" in finding(result, "category_mismatch")["message"]["en"]


def test_category_defaults_to_the_best_suggestion(client):
    result = precheck(client, text="My listing B0ABCD1234 was suppressed.", attachments=["s.png"])
    assert result["category"] == "listing_removed"
    assert "category_mismatch" not in [f["code"] for f in result["findings"]]


def test_channel_closed_gives_the_next_opening_in_the_sellers_zone(client):
    result = precheck(
        client,
        category="account_deactivation",
        contact_method="phone",
        text="Our account was suspended.",
        at="2026-07-01T22:00:00-04:00",
    )
    assert "2026-07-02 17:00" in finding(result, "channel_closed")["message"]["en"]


def test_checklist_lists_the_three_essentials(client):
    result = precheck(client, category="account_deactivation", text="Account deactivated.")
    message = finding(result, "checklist")
    assert message["severity"] == "info"
    assert message["message"]["zh"].count("、") == 2


def test_unknown_hours_channel_points_to_contact_us(client):
    result = precheck(
        client,
        marketplace="CA",
        category="account_deactivation",
        contact_method="chat",
        text="Account deactivated.",
    )
    assert "Contact Us" in finding(result, "channel_closed")["message"]["en"]


def _codes(result: dict) -> set[str]:
    return {f["code"] for f in result["findings"]}


CHANNEL_CHECKS = {"phone_ineligible", "channel_closed", "channel_scope"}


def test_describe_stage_runs_no_check_about_the_contact_channel(client):
    fields = dict(
        category="advertising",
        contact_method="phone",
        seller={"plan": "individual", "video_verified": False, "two_factor": False},
        text="广告活动昨天停止花费",
        at="2026-07-01T22:00:00-04:00",
    )
    assert CHANNEL_CHECKS <= _codes(precheck(client, **fields))  # default stage: send
    at_describe = _codes(precheck(client, stage="describe", **fields))
    assert not CHANNEL_CHECKS & at_describe
    assert "non_english" in at_describe  # the other checks still run


def test_describe_stage_still_asks_for_materials(client):
    result = precheck(client, stage="describe", category="a_to_z_claim", text="Buyer filed A-to-z.")
    assert {"missing_order_id", "missing_evidence"} <= _codes(result)


def test_reference_numbers_give_the_order_id_and_asin(client):
    text = "The buyer opened an A-to-z claim; my listing was also removed."
    assert "missing_order_id" in _codes(precheck(client, category="a_to_z_claim", text=text))
    result = precheck(
        client,
        category="a_to_z_claim",
        text=text,
        reference_numbers=["", "Order: 114-1111111-2222222", "I contacted the buyer twice."],
    )
    assert "missing_order_id" not in _codes(result)
    result = precheck(
        client,
        category="listing_removed",
        text=text,
        reference_numbers=["SKU RED-42", "B0ABCD1234"],
    )
    assert "missing_asin" not in _codes(result)


def test_reference_numbers_are_no_part_of_the_description(client):
    """Only ids are read from them: they change neither the language nor the category."""
    result = precheck(
        client, text="我的账号被封了", reference_numbers=["FBA inbound shipment stuck"]
    )
    assert result["language"] == "zh" and result["category"] == "account_deactivation"


def test_no_upload_control_means_no_evidence_finding(client):
    fields = dict(category="a_to_z_claim", text="A-to-z claim on order 114-1111111-2222222.")
    assert "missing_evidence" in _codes(precheck(client, **fields))
    assert "missing_evidence" not in _codes(precheck(client, upload_offered=False, **fields))


def test_precheck_defaults_are_in_the_openapi_document(client):
    props = client.get("/api/v1/openapi.json").json["components"]["schemas"]["PrecheckRequest"][
        "properties"
    ]
    assert props["stage"]["default"] == "send" and props["stage"]["enum"] == ["describe", "send"]
    assert props["upload_offered"]["default"] is True
    assert props["reference_numbers"]["maxItems"] == 20
    assert props["reference_numbers"]["items"]["maxLength"] == 300
