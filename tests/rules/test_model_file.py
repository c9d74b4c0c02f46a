"""The learned model is data beside the rules: loaded at start-up, hot-reloaded on change,
and a broken model file is reported while the last good model keeps serving."""

from __future__ import annotations

import json
import shutil

import pytest

from seller_support.domain.engine import build_engine
from seller_support.rules import DEFAULT_RULES_DIR, RulesError
from seller_support.rules.loader import MODEL_FILE

from .test_watch import poll, watched  # noqa: F401  (the fixture)

TEXT = "回款一直没到账"


@pytest.fixture()
def rules_copy(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target)
    return target


def edit_model(rules_dir, change) -> None:
    path = rules_dir / MODEL_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def first_row(data) -> str:
    return next(iter(data["weights"]))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["intercepts"].pop(), "intercepts: 9 values for 10 classes"),
        (lambda d: d["weights"][first_row(d)].append(1.0), "11 values for 10"),
        (lambda d: d["classes"].__setitem__(0, "suspension"), "run `make train`"),
        (lambda d: d.pop("blend"), "blend"),
        (lambda d: d["confidence"].update(high=0.2, medium=0.5), "confidence.medium"),
        (lambda d: d.update(features_version=99), "features version 99"),
    ],
)
def test_a_malformed_model_is_refused_with_the_file_and_the_problem(rules_copy, change, message):
    edit_model(rules_copy, change)
    with pytest.raises(RulesError) as error:
        build_engine(rules_copy)
    assert "classifier.json" in str(error.value) and message in str(error.value)


def test_a_model_with_a_nan_weight_is_refused(rules_copy):
    """Python's JSON reader accepts NaN, which would poison every score."""
    edit_model(rules_copy, lambda d: d["weights"][first_row(d)].__setitem__(0, float("nan")))
    assert "NaN" in (rules_copy / MODEL_FILE).read_text(encoding="utf-8")
    with pytest.raises(RulesError, match="classifier.json"):
        build_engine(rules_copy)


@pytest.mark.parametrize("content", ["", "{", '{"format": 1', "\x00\x01", "[]"])
def test_a_truncated_or_garbled_model_is_refused(rules_copy, content):
    (rules_copy / MODEL_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(RulesError) as error:
        build_engine(rules_copy)
    assert "classifier.json" in str(error.value)


def test_a_missing_model_is_refused(rules_copy):
    (rules_copy / MODEL_FILE).unlink()
    with pytest.raises(RulesError, match="classifier.json: file is missing"):
        build_engine(rules_copy)


def test_a_new_model_is_served_without_restart(watched):  # noqa: F811
    rules_dir, client = watched

    def top():
        response = client.post("/api/v1/classify", json={"text": TEXT})
        return response.json["suggestions"][0]

    assert top()["category"] == "payment_anomaly"
    # A model (and blend) that believes only in advertising, whatever the text says.
    classes = json.loads((rules_dir / MODEL_FILE).read_text(encoding="utf-8"))["classes"]
    favour = classes.index("advertising")

    def advertising_only(data):
        data["intercepts"] = [20.0 if i == favour else -20.0 for i in range(len(classes))]
        data["blend"] = {"model": 1.0, "rules": 0.0}

    edit_model(rules_dir, advertising_only)
    poll(lambda: top()["category"] == "advertising")
    assert client.get("/api/v1/health").json["rules_error"] is None


def test_a_corrupt_model_keeps_the_last_good_one_serving(watched):  # noqa: F811
    rules_dir, client = watched
    good = client.post("/api/v1/classify", json={"text": TEXT}).json["suggestions"]
    path = rules_dir / MODEL_FILE
    original = path.read_bytes()
    path.write_bytes(original[: len(original) // 2])  # a copy cut short

    error = poll(lambda: client.get("/api/v1/health").json["rules_error"])
    assert "classifier.json" in error and "not valid JSON" in error
    assert client.post("/api/v1/classify", json={"text": TEXT}).json["suggestions"] == good
    path.write_bytes(original)
    poll(lambda: client.get("/api/v1/health").json["rules_error"] is None)
