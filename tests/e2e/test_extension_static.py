"""Static checks of the extension package: i18n complete, manifest covers every marketplace,
no innerHTML, one feature per file (the built-in data copies: tests/test_generate.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from seller_support.domain.eligibility import CHECKS as SELLER_CHECKS

from .conftest import EXTENSION_DIR, REPO
from .helpers import backend_json

JS_FILES = sorted(p for p in EXTENSION_DIR.rglob("*.js"))
HTML_FILES = sorted(p for p in EXTENSION_DIR.rglob("*.html"))


def _messages(locale: str) -> dict:
    return json.loads(
        (EXTENSION_DIR / "_locales" / locale / "messages.json").read_text(encoding="utf-8")
    )


def test_locales_have_same_keys_and_descriptions():
    en, zh = _messages("en"), _messages("zh_CN")
    assert set(en) == set(zh)
    for locale, msgs in (("en", en), ("zh_CN", zh)):
        for key, entry in msgs.items():
            assert entry.get("message"), f"{locale}:{key} has no message"
            assert entry.get("description"), f"{locale}:{key} has no description"
            for name in re.findall(r"\$([A-Za-z0-9_]+)\$", entry["message"]):
                assert name.lower() in entry.get("placeholders", {}), (
                    f"{locale}:{key} uses undefined ${name}$"
                )
    for key in en:
        assert set(en[key].get("placeholders", {})) == set(zh[key].get("placeholders", {})), key


def test_every_used_message_key_exists():
    keys = set(_messages("en"))
    used: set[str] = set()
    for path in JS_FILES:
        src = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\(\"([A-Za-z0-9_]+)\"(?!\s*\+)", src))
        # keys built from a prefix + a known value, e.g. t("status_" + st.status)
        for prefix in re.findall(r"\bt\(\"([A-Za-z0-9_]+_)\" \+", src):
            assert any(k.startswith(prefix) for k in keys), prefix
    for path in HTML_FILES:
        used |= set(
            re.findall(
                r'data-i18n(?:-title|-placeholder)?="([A-Za-z0-9_]+)"',
                path.read_text(encoding="utf-8"),
            )
        )
    manifest = (EXTENSION_DIR / "manifest.json").read_text(encoding="utf-8")
    used |= set(re.findall(r"__MSG_([A-Za-z0-9_]+)__", manifest))
    missing = used - keys
    assert not missing, f"message keys used but not defined: {sorted(missing)}"
    for status in ("open", "closed", "unknown", "offline"):
        assert f"status_{status}" in keys
    for channel in ("phone", "chat", "case"):
        assert f"channel_{channel}" in keys


def test_message_keys_cover_backend_vocabulary(live_backend):
    keys = set(_messages("en"))
    for cat in backend_json(live_backend, "/api/v1/categories")["categories"]:
        assert f"priority_{cat['priority']}" in keys, cat["priority"]
        assert f"route_{cat['channel']}" in keys, cat["channel"]
    for severity in ("info", "warning", "error"):
        assert f"severity_{severity}" in keys
    for status in backend_json(live_backend, "/api/v1/contract")["account_statuses"]:
        assert f"optAccount_{status}" in keys, status  # the options page's choices
    for setting in SELLER_CHECKS:  # a badge's `unset` names them
        assert f"setting_{setting}" in keys, setting


def test_manifest_covers_every_marketplace_domain_and_browsers():
    manifest = json.loads((EXTENSION_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["manifest_version"] == 3
    assert manifest["background"]["service_worker"] == "background/main.js"
    assert manifest["background"]["scripts"][-1] == "background/main.js"  # Firefox event page
    assert manifest["browser_specific_settings"]["gecko"]["id"]
    matches = set(manifest["content_scripts"][0]["matches"])
    rules = yaml.safe_load(
        (REPO / "shared-rules" / "marketplaces.yaml").read_text(encoding="utf-8")
    )
    domains = {d for m in rules["marketplaces"] for d in m["domains"]}
    assert domains, "no domains in shared-rules/marketplaces.yaml"
    for domain in domains:
        assert f"https://{domain}/*" in matches, f"content script does not run on {domain}"
    # Only the loopback backend is a host permission; nothing broader.
    assert set(manifest["host_permissions"]) == {
        "http://127.0.0.1/*",
        "http://localhost/*",
        "http://[::1]/*",
    }
    for path in [
        manifest["background"]["service_worker"],
        *manifest["background"]["scripts"],
        *manifest["content_scripts"][0]["js"],
    ]:
        assert (EXTENSION_DIR / path).is_file(), path


def test_background_loads_the_same_files_in_chrome_and_firefox():
    """Chrome's service worker importScripts the modules that Firefox's background page
    lists in the manifest: the same files in the same order, the entry last."""
    manifest = json.loads((EXTENSION_DIR / "manifest.json").read_text(encoding="utf-8"))
    scripts = manifest["background"]["scripts"]
    main = (EXTENSION_DIR / "background" / "main.js").read_text(encoding="utf-8")
    call = re.search(r"importScripts\((.*?)\);", main, re.S)
    assert call, "background/main.js must importScripts its modules"
    imported = re.findall(r'"/([^"]+)"', call.group(1))
    assert imported + ["background/main.js"] == scripts
    modules = {f"background/{p.name}" for p in (EXTENSION_DIR / "background").glob("*.js")}
    assert modules <= set(scripts), modules - set(scripts)
    assert not (EXTENSION_DIR / "background.js").exists()


def test_no_inner_html_or_eval():
    for path in JS_FILES:
        src = path.read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", src, flags=re.S)
        for bad in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ):
            assert bad not in code, f"{path.relative_to(EXTENSION_DIR)} uses {bad}"


def test_one_feature_per_file_named_by_id():
    features = sorted((EXTENSION_DIR / "content" / "features").glob("*.js"))
    assert {p.stem for p in features} >= {"hours-badges", "category-hints", "precheck"}
    manifest_js = json.loads((EXTENSION_DIR / "manifest.json").read_text(encoding="utf-8"))[
        "content_scripts"
    ][0]["js"]
    for path in features:
        ids = re.findall(r'registerFeature\("([a-z0-9-]+)"', path.read_text(encoding="utf-8"))
        assert ids == [path.stem], (
            f"{path.name} must register exactly one feature named {path.stem!r}"
        )
        assert f"content/features/{path.name}" in manifest_js


def test_features_share_nothing_but_the_store():
    """A feature defines no helper for the others (shared helpers live in lib/) and keeps
    no state on ctx (shared state is ctx.store); only main.js sets anchors."""
    for path in sorted((EXTENSION_DIR / "content" / "features").glob("*.js")):
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", path.read_text(encoding="utf-8"), flags=re.S)
        assigned = re.findall(r"\b((?:SSC|ctx)(?:\.[A-Za-z_$][\w$]*)+)\s*=(?!=)", code)
        assert not assigned, f"{path.name} assigns {assigned}"
        assert "ctx.state" not in code, path.name


def test_no_build_artifacts_in_extension():
    for bad in ("node_modules", "package.json", ".DS_Store"):
        assert not list(EXTENSION_DIR.rglob(bad)), bad
    assert Path(EXTENSION_DIR / "manifest.json").is_file()
