"""`make package`: the store zips carry the extension's files, each its own manifest, the
version from pyproject.toml alone; the Firefox package passes `web-ext lint`."""

from __future__ import annotations

import json
import subprocess
import zipfile

import pytest

from seller_support import package_extension as pkg

WEB_EXT = pkg.REPO / "node_modules" / ".bin" / "web-ext"
SOURCE_MANIFEST = json.loads((pkg.EXTENSION / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def zips(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    assert pkg.main(["--dist", str(dist)]) == 0
    return {target: dist / f"ssc-{target}-{pkg.project_version()}.zip" for target in pkg.DROPPED}


def _manifest(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def test_the_manifest_carries_pyprojects_version():
    assert pkg.checked_version(SOURCE_MANIFEST) == pkg.project_version()


def test_a_manifest_with_another_version_builds_nothing(tmp_path):
    with pytest.raises(pkg.VersionMismatch, match="pyproject.toml"):
        pkg.checked_version({**SOURCE_MANIFEST, "version": "9.9.9"})


def test_every_package_holds_the_extensions_files_and_nothing_for_developers(zips):
    expected = {"manifest.json"} | {
        p.relative_to(pkg.EXTENSION).as_posix() for p in pkg.package_files()
    }
    assert "welcome/welcome.html" in expected and "background/main.js" in expected
    for path in zips.values():
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
        assert names == expected, path.name
        assert not {n for n in names if n.endswith("README.md") or "screenshot" in n}


def test_each_browser_gets_the_manifest_it_needs(zips):
    chrome, offline, firefox = (_manifest(zips[t]) for t in ("chrome", "chrome-offline", "firefox"))
    for manifest in (chrome, offline, firefox):
        assert manifest["version"] == pkg.project_version()
    # Stores refuse the key and give their own id; the offline zip keeps the pinned id.
    assert "key" not in chrome and offline["key"] == SOURCE_MANIFEST["key"]
    assert chrome["background"] == offline["background"] == {"service_worker": "background/main.js"}
    assert "browser_specific_settings" not in chrome
    assert "key" not in firefox and "service_worker" not in firefox["background"]
    assert firefox["background"]["scripts"] == SOURCE_MANIFEST["background"]["scripts"]
    assert firefox["browser_specific_settings"]["gecko"]["id"]
    # Everything else is the manifest as written.
    for manifest in (chrome, offline, firefox):
        for key in ("permissions", "host_permissions", "content_scripts", "action"):
            assert manifest[key] == SOURCE_MANIFEST[key]


def test_the_zips_are_reproducible(zips, tmp_path):
    again = pkg.write_zip("firefox", tmp_path)
    assert again.read_bytes() == zips["firefox"].read_bytes()


def test_the_firefox_package_passes_web_ext_lint(tmp_path):
    if not WEB_EXT.exists():
        pytest.fail("web-ext is not installed: run `make test` (npm ci)", pytrace=False)
    folder = pkg.unpack("firefox", tmp_path / "firefox")
    # Without --self-hosted: addons.mozilla.org's checks, a superset of the self-hosted ones.
    run = subprocess.run(
        [str(WEB_EXT), "lint", "--source-dir", str(folder), "--output", "json", "--no-input"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    report = json.loads(run.stdout)
    found = [
        f"{kind}: {m['code']} {m.get('file', '')}: {m['message']}"
        for kind in ("errors", "warnings", "notices")
        for m in report[kind]
    ]
    assert found == [], "\n".join(found)
