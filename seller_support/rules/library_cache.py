"""What the rules' validation asks of a library, kept between starts while the library stays
as it is: the holidays library's country codes. Importing the library to ask costs some
50 ms of every start (its package imports its whole base); the answer changes only when the
library is upgraded, which changes the file the codes live in.

Kept beside the parsed rules (`parse_cache.cache_dir`), keyed by that file's size and
modification time; any problem reading or writing the entry means asking the library."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from .parse_cache import cache_dir, read_entry, write_atomically


def holiday_country_codes() -> list[str]:
    """The holidays library's registry of codes (aliases included): the same set as
    holidays.list_supported_countries(), which imports all 250 country modules to list
    their subdivisions (60 ms, 8 MiB)."""
    registry = _registry_file()
    key = _stat_key(registry) if registry is not None else None
    entry = cache_dir() / "holiday-countries.json"
    cached = read_entry(entry) if key is not None else None
    if cached is not None and cached.get("key") == key and isinstance(cached.get("codes"), list):
        return cached["codes"]
    from holidays.registry import EntityLoader

    codes = sorted(EntityLoader.get_country_codes())
    if key is not None:
        write_atomically(entry, json.dumps({"key": key, "codes": codes}))
    return codes


def _registry_file() -> Path | None:
    spec = importlib.util.find_spec("holidays")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "registry.py"


def _stat_key(path: Path) -> list | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [str(path), stat.st_size, stat.st_mtime_ns]
