"""`make bundle`: the standalone `ssc` for sellers without Python, a PyInstaller one-folder
build (packaging/ssc.spec). It is built once per set of inputs (sources, rules, model,
packaging files, Python and the installed libraries) into build/bundle/<hash>/ssc/, reused
while they stay the same, and the previous build is removed. Prints the executable's path.
Why PyInstaller rather than Nuitka, shiv or briefcase, with figures: README.md,
"Standalone build".

Run as a script (`python packaging/bundle.py`): packaging/ is no package, so that it cannot
hide the `packaging` library PyInstaller imports.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "build" / "bundle"
SPEC = ROOT / "packaging" / "ssc.spec"
INPUTS = ("seller_support/**/*.py", "shared-rules/**/*", "packaging/**/*", "pyproject.toml")
# Read by the spec: a signed build is another build.
SPEC_ENVIRONMENT = ("SSC_CODESIGN_IDENTITY",)
KEY_LENGTH = 16


def input_files() -> list[Path]:
    return sorted(
        path
        for pattern in INPUTS
        for path in ROOT.glob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    )


def inputs_key() -> str:
    digest = hashlib.sha256()
    for path in input_files():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    # The same sources freeze differently with another Python or other library versions.
    libraries = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    settings = [f"{name}={os.environ.get(name, '')}" for name in SPEC_ENVIRONMENT]
    for line in [sys.version, sys.platform, platform.machine(), *libraries, *settings]:
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()[:KEY_LENGTH]


def executable(build: Path) -> Path:
    return build / "ssc" / ("ssc.exe" if os.name == "nt" else "ssc")


def _freeze(staging: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
         "--distpath", str(staging / "dist"), "--workpath", str(staging / "work"), str(SPEC)],
        check=True, cwd=ROOT,
    )  # fmt: skip


def _remove_older_builds(keep: str) -> None:
    for old in CACHE.iterdir():
        if old.is_dir() and len(old.name) == KEY_LENGTH and old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def build() -> Path:
    """The executable of the build for the current inputs, building it if needed."""
    key = inputs_key()
    target = CACHE / key
    if executable(target).is_file():
        return executable(target)
    # Built beside the cache and moved in whole: an interrupted build is never reused.
    staging = CACHE / f"{key}.{os.getpid()}.partial"
    try:
        _freeze(staging)
        try:
            (staging / "dist").rename(target)
        except OSError:  # a build running at the same time finished first
            if not executable(target).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _remove_older_builds(keep=key)
    return executable(target)


def main() -> int:
    if importlib.util.find_spec("PyInstaller") is None:
        sys.exit("PyInstaller is not installed: run `make bundle`, which installs it.")
    started = time.monotonic()
    try:
        path = build()
    except subprocess.CalledProcessError as error:
        sys.exit(f"PyInstaller failed (exit {error.returncode}); its messages are above.")
    size = sum(f.stat().st_size for f in path.parent.rglob("*") if f.is_file())
    print(
        f"Standalone ssc: {size / 2**20:.0f} MiB, {time.monotonic() - started:.1f} s "
        "(reused while its inputs stay the same)",
        file=sys.stderr,
    )
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
