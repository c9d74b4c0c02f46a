"""Pre-submit check: what each finding says, and a clean case with none."""

from __future__ import annotations

from seller_support.rules import load_rules

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


def test_channel_ineligible_names_every_barrier_and_what_is_left(client):
    result = precheck(
        client,
        category="account_deactivation",
        contact_method="phone",
        seller={
            "plan": "individual",
            "video_verified": False,
            "two_factor": False,
            "account_status": "deactivated",
        },
        text="Our account was suspended.",
    )
    found = finding(result, "channel_ineligible")
    assert found["data"]["barriers"].split(",") == [
        "individual_plan",
        "account_deactivated",
        "video_verification",
        "two_factor",
    ]
    message = found["message"]
    assert "individual" in message["en"] and "good standing" in message["en"]
    assert "video" in message["en"] and "two-factor" in message["en"]
    assert "个人卖家" in message["zh"]
    # An individual seller has e-mail left, not "a case or chat".
    assert message["en"].endswith("Use instead: Case / email.")
    assert message["zh"].endswith("请改用：工单/邮件。")


def test_an_individual_seller_choosing_chat_is_told_to_write(client):
    found = finding(
        precheck(
            client,
            category="listing_removed",
            contact_method="chat",
            seller={"plan": "individual", "video_verified": True, "two_factor": True},
            text="My listing B0ABCD1234 was removed.",
            attachments=["s.png"],
        ),
        "channel_ineligible",
    )
    assert found["severity"] == "error" and found["data"]["barriers"] == "individual_plan"
    assert found["message"]["en"].startswith("Chat is not available to you")


def test_a_deactivated_professional_seller_is_sent_to_chat_or_a_case_not_phone(client):
    message = finding(
        precheck(
            client,
            category="account_deactivation",
            contact_method="phone",
            seller={**SELLER_OK, "account_status": "deactivated"},
            text="Our account was deactivated.",
        ),
        "channel_ineligible",
    )["message"]
    assert message["en"].endswith("Use instead: Chat or Case / email.")


def test_special_channel_links_the_marketplaces_own_address(client):
    rules = load_rules()
    for category in ("brand_registry", "account_verification"):
        routes = rules.category_by_id[category].special_channel.routes
        for code in ("US", "UK", "JP", "IN"):
            result = precheck(client, category=category, marketplace=code, text="Help please.")
            message = finding(result, "special_channel")["message"]
            assert message["en"].endswith(routes[code]) and message["zh"].endswith(routes[code])
    assert len({routes[c] for c in ("US", "UK", "JP", "IN")}) == 4  # account_verification


def test_re_verification_mentions_the_api_channel_and_service_providers(client):
    result = precheck(client, category="account_verification", text="二审要求提供水电费账单")
    message = finding(result, "special_channel")["message"]
    assert "MWS/API" in message["zh"] and "认证服务商" in message["zh"]
    assert "MWS/API" in message["en"] and "certified service provider" in message["en"]
    # The Account Info address is not confirmed by an Amazon page: the message says so.
    assert "亚马逊通知中的链接" in message["zh"] and "link in Amazon's notice" in message["en"]


def test_missing_evidence_asks_for_pod_only_on_delivery_disputes(client):
    def evidence_message(category: str, text: str) -> dict:
        return finding(precheck(client, category=category, text=text), "missing_evidence")[
            "message"
        ]

    a_to_z = evidence_message("a_to_z_claim", "A-to-z claim on order 114-1111111-2222222.")
    assert "POD" in a_to_z["en"] and "POD" in a_to_z["zh"]
    for category in ("account_deactivation", "brand_registry", "listing_removed"):
        message = evidence_message(category, "Please help with this problem.")
        assert "POD" not in message["en"] and "POD" not in message["zh"]
        assert "Screenshots" in message["en"] and "截图" in message["zh"]


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


CHANNEL_CHECKS = {"channel_ineligible", "channel_closed", "channel_scope"}


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


def test_the_duplicate_warning_carries_amazons_guidance_beside_the_article(client, cases):
    """checks.yaml `see_also`: the facts come with the finding, each with its source, so
    the panel can say which advice is Amazon's own and which is the article's."""
    rules = load_rules()
    check = rules.check_by_code["duplicate_case"]
    example = dict(check.examples.fire[0])
    imported = client.post("/api/v1/cases/import", json={"cases": example.pop("existing_cases")})
    assert imported.status_code == 200
    result = precheck(client, contact_method="case", **example)
    dup = finding(result, "duplicate_case")
    assert [a["id"] for a in dup["advice"]] == check.see_also
    assert all(a["source"]["kind"] == "amazon" and a["text"]["zh"] for a in dup["advice"])
    assert all(a["kind"] == rules.fact_by_id[a["id"]].kind for a in dup["advice"])
    assert dup["source"]["kind"] == "article"
    others = [f for f in result["findings"] if f["code"] != "duplicate_case"]
    assert all(f["advice"] == [] for f in others)


def test_the_duplicate_warning_names_amazons_case_id_never_our_own_number(client, cases):
    """The extension's line under the warning gives when the earlier case was filed; the
    message itself gives no date, and no case-log number a seller would take for Amazon's."""
    example = dict(load_rules().check_by_code["duplicate_case"].examples.fire[0])
    imported = client.post("/api/v1/cases/import", json={"cases": example.pop("existing_cases")})
    [earlier] = imported.json["cases"]
    dup = finding(precheck(client, contact_method="case", **example), "duplicate_case")
    filed_day = earlier["filed_at"][:10]
    for text in dup["message"].values():
        assert f"#{earlier['id']}" not in text and filed_day not in text
    patched = client.patch(f"/api/v1/cases/{earlier['id']}", json={"case_id": "17234567890"})
    assert patched.status_code == 200
    dup = finding(precheck(client, contact_method="case", **example), "duplicate_case")
    assert "（亚马逊工单号 17234567890）" in dup["message"]["zh"]
    assert "a similar case (Amazon case 17234567890) on" in dup["message"]["en"]


def test_unfilled_placeholder_names_each_one_left_in_both_languages(client):
    """The issue's case: [DATE], [CARRIER], [NAME] of the old templates and the seller's
    Chinese draft; and a placeholder of ours, named with what goes there."""
    text = (
        "Our facts: shipped on [DATE] via [CARRIER], order [ORDER_ID].\nThank you,\n[NAME]\n"
        "买家说没收到货，但是物流显示已经签收了，请帮忙处理这个索赔。"
    )
    result = precheck(client, category="a_to_z_claim", text=text)
    found = finding(result, "unfilled_placeholder")
    assert found["severity"] == "error"
    assert found["message"]["en"].count("[") == 4
    assert "[DATE], [CARRIER], [ORDER_ID] (order ID), [NAME]" in found["message"]["en"]
    assert "[ORDER_ID]（订单编号）" in found["message"]["zh"]
    assert found["data"]["placeholders"] == "DATE, CARRIER, ORDER_ID, NAME"
    assert "non_english" in [f["code"] for f in result["findings"]]


def test_the_sellers_own_bracketed_capitals_are_no_placeholder(client):
    """Amazon's guidelines tell sellers to flag urgent cases: [URGENT] holds no submit."""
    text = "[URGENT] ASIN B0C1234XYZ was removed on the [US] marketplace; the [PDF] is attached."
    result = precheck(client, category="listing_removed", text=text)
    assert "unfilled_placeholder" not in _codes(result)


def test_non_english_points_to_the_composer_only_where_it_has_a_template(client):
    text = "买家说没收到货，但是物流显示已经签收了，请帮忙处理这个索赔。"
    regular = finding(precheck(client, category="a_to_z_claim", text=text), "non_english")
    special = finding(precheck(client, category="brand_registry", text=text), "non_english")
    assert "Compose English case" in regular["message"]["en"]
    assert "生成英文工单" in regular["message"]["zh"]
    assert "Compose" not in special["message"]["en"] and "生成" not in special["message"]["zh"]
