"""Bad input always gets a clear JSON error with a 4xx status, never a 500."""

from __future__ import annotations

import pytest


def assert_error(response, status: int, *fragments: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json
    assert set(body) == {"code", "message"}
    for fragment in fragments:
        assert fragment in body["message"]
    return body


def test_unknown_marketplace_lists_the_valid_ones(client):
    body = assert_error(client.get("/api/v1/hours?marketplace=GB"), 422, "'GB'", "US", "UK", "JP")
    assert body["code"] == "unknown_marketplace"


def test_missing_marketplace_names_the_parameter(client):
    assert_error(client.get("/api/v1/hours"), 422, "marketplace")


def test_bad_time_zone_names_the_parameter(client):
    assert_error(
        client.get("/api/v1/hours?marketplace=US&tz=Mars/Olympus"), 422, "tz", "Mars/Olympus"
    )


def test_bad_at_names_the_parameter(client):
    assert_error(client.get("/api/v1/hours?marketplace=US&at=yesterday"), 422, "at")


def test_unknown_query_parameter_is_refused(client):
    assert_error(client.get("/api/v1/hours?marketplace=US&zone=UTC"), 422, "zone")


@pytest.mark.parametrize("payload", ["{not json", b'{"text": "\xff"}', '{"text": "a"} trailing'])
def test_malformed_json_is_400(client, payload):
    response = client.post("/api/v1/classify", data=payload, content_type="application/json")
    assert assert_error(response, 400, "not JSON")["code"] == "malformed_json"


@pytest.mark.parametrize("payload", ["[1, 2]", '"text"', "null", "42"])
def test_json_that_is_not_an_object_is_400(client, payload):
    response = client.post("/api/v1/classify", data=payload, content_type="application/json")
    assert_error(response, 400, "JSON object")


def test_deeply_nested_json_is_refused_cleanly(client):
    payload = '{"text": ' + "[" * 30_000 + "]" * 30_000 + "}"  # under the 64 KiB limit
    response = client.post("/api/v1/precheck", data=payload, content_type="application/json")
    assert_error(response, 400)


def test_body_over_64_kib_is_413(client):
    response = client.post("/api/v1/classify", json={"text": "x" * (65 * 1024)})
    assert_error(response, 413)


def test_non_json_content_type_is_415(client):
    response = client.post("/api/v1/classify", data="text=hi", content_type="text/plain")
    assert_error(response, 415, "application/json")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "text"),
        ({"text": 5}, "text"),
        ({"text": "hi", "colour": "red"}, "colour"),
        ({"text": "hi", "marketplace": "XX"}, "marketplace"),
    ],
)
def test_classify_bad_fields_are_named(client, payload, field):
    assert_error(client.post("/api/v1/classify", json=payload), 422, field)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": "hi", "category": "nonsense"}, "category"),
        ({"text": "hi", "contact_method": "fax"}, "contact_method"),
        ({"text": "hi", "seller": {"plan": "gold"}}, "seller.plan"),
        ({"text": "hi", "attachments": "a.png"}, "attachments"),
        ({"text": "hi", "tz": "Nowhere"}, "tz"),
        ({"text": "hi", "reference_numbers": ["x"] * 21}, "reference_numbers"),
        ({"text": "hi", "reference_numbers": ["x" * 301]}, "reference_numbers"),
        ({"text": "hi", "reference_numbers": "114-1111111-2222222"}, "reference_numbers"),
        ({"text": "hi", "upload_offered": "no"}, "upload_offered"),
        ({"text": "hi", "upload_offered": 0}, "upload_offered"),
        ({"text": "hi", "stage": "review"}, "stage"),
    ],
)
def test_precheck_bad_fields_are_named(client, payload, field):
    assert_error(client.post("/api/v1/precheck", json=payload), 422, field)


def test_unknown_route_and_wrong_method_are_json(client):
    assert assert_error(client.get("/api/v1/nope"), 404)["code"] == "not_found"
    assert assert_error(client.get("/api/v1/classify"), 405)["code"] == "method_not_allowed"


def test_debug_is_off(app):
    assert app.debug is False


# Found by fuzzing (tests/backend/test_fuzz.py); kept as plain regressions.


def test_405_lists_the_allowed_methods(client):
    response = client.delete("/api/v1/classify")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_time_zone_that_is_a_folder_is_a_clear_error(client):
    assert_error(client.get("/api/v1/hours?marketplace=US&tz=US"), 422, "tz")


@pytest.mark.parametrize("at", ["0", "1.5", "2.2e-16", "1700000000"])
def test_numbers_are_not_read_as_unix_times(client, at):
    assert_error(
        client.get("/api/v1/hours", query_string={"marketplace": "US", "at": at}), 422, "at"
    )


def test_ids_beyond_sqlite_range_are_not_found(client):
    assert_error(client.get(f"/api/v1/cases/{2**64}"), 404)
    assert_error(client.get(f"/api/v1/cases?offset={2**64}"), 422, "offset")


def test_booleans_must_be_booleans(client):
    body = {"text": "hi", "seller": {"plan": "professional", "video_verified": 1, "two_factor": 0}}
    assert_error(client.post("/api/v1/precheck", json=body), 422, "seller.video_verified")
