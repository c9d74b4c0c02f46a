"""`make package`: the extension as store-ready zips in dist/, versioned from pyproject.toml.

- `ssc-chrome-<version>.zip`: for the Chrome Web Store and Edge Add-ons. No manifest `key`
  (the stores refuse it and give the extension their own id) and no Firefox-only keys.
- `ssc-chrome-offline-<version>.zip`: the same with the `key`, for sellers who cannot reach
  a store (mainland China) and load it unpacked: its id is the one the backend trusts
  without pairing (web/security.py PINNED_EXTENSION_IDS).
- `ssc-firefox-<version>.zip`: for addons.mozilla.org. Background `scripts` only (Firefox
  ignores `service_worker`, and `web-ext lint` warns about it), the gecko id, no `key`.

The version has one source, pyproject.toml; the manifest must say the same (loading the
folder unpacked reads it there), else nothing is built. The zips are reproducible: sorted
entries with a fixed date.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXTENSION = REPO / "extension"
PYPROJECT = REPO / "pyproject.toml"
DIST = REPO / "dist"

# Manifest keys each package leaves out: a key name, or (key, sub-key).
DROPPED = {
    "chrome": ["key", "browser_specific_settings", ("background", "scripts")],
    "chrome-offline": ["browser_specific_settings", ("background", "scripts")],
    "firefox": ["key", ("background", "service_worker")],
}
# Files of the folder that are for developers, not for the browser.
EXCLUDED = ("README.md", "screenshot-*.png", ".DS_Store")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class VersionMismatch(Exception):
    pass


def project_version() -> str:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]


def checked_version(manifest: dict) -> str:
    """pyproject.toml's version, if the manifest carries the same."""
    version = project_version()
    if manifest["version"] != version:
        raise VersionMismatch(
            f"extension/manifest.json has version {manifest['version']}, pyproject.toml {version}:"
            " set the manifest's version to pyproject.toml's (the one source of the version)."
        )
    return version


def manifest_for(target: str, manifest: dict) -> dict:
    out = json.loads(json.dumps(manifest))
    for key in DROPPED[target]:
        if isinstance(key, tuple):
            out.get(key[0], {}).pop(key[1], None)
        else:
            out.pop(key, None)
    return out


def package_files(source: Path = EXTENSION) -> list[Path]:
    """The folder's files that go into every package, sorted, manifest.json excluded."""
    return sorted(
        p
        for p in source.rglob("*")
        if p.is_file()
        and p.name != "manifest.json"
        and not any(p.match(pattern) for pattern in EXCLUDED)
    )


def package_contents(target: str, source: Path = EXTENSION) -> dict[str, bytes]:
    """Archive name -> bytes of one package."""
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    checked_version(manifest)
    text = json.dumps(manifest_for(target, manifest), indent=2, ensure_ascii=False) + "\n"
    files = {"manifest.json": text.encode("utf-8")}
    files.update((p.relative_to(source).as_posix(), p.read_bytes()) for p in package_files(source))
    return dict(sorted(files.items()))


def write_zip(target: str, dist: Path = DIST) -> Path:
    version = project_version()
    dist.mkdir(parents=True, exist_ok=True)
    path = dist / f"ssc-{target}-{version}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in package_contents(target).items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    return path


def unpack(target: str, directory: Path) -> Path:
    """One package as a folder (what `web-ext lint` and an unpacked load read)."""
    for name, data in package_contents(target).items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=DIST, help="where to write the zips")
    args = parser.parse_args(argv)
    try:
        for target in DROPPED:
            print(os.path.relpath(write_zip(target, args.dist)))
    except VersionMismatch as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
