"""The case log's export and import in the API's formats: JSON (`CaseList`, which the
import takes back as it is) and CSV (`case_csv`). The export and import endpoints and
`ssc export` / `ssc import` both use these, so a file from one goes into the other.

Bad input raises before anything is stored (`APIError` for a CSV fault, pydantic's
`ValidationError`, the domain's `DomainError`), and the cases are added in one
transaction: an import stores all of its cases or none."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from ..domain.cases import checked_case
from ..domain.engine import Engine
from ..domain.errors import DomainError
from ..store import CaseStore
from .case_csv import CsvError, read_csv, write_csv
from .errors import APIError, describe_validation_error
from .schemas import CaseImport, CaseImportItem, CaseImportResult, CaseIn, CaseList, CaseOut

CSV_COLUMNS = list(CaseOut.model_fields)
CSV_REQUIRED = {"text", "category", "marketplace", "filed_at"}


def export_json(store: CaseStore) -> CaseList:
    rows, total = store.list(limit=None)
    return CaseList(cases=[CaseOut.model_validate(r) for r in rows], total=total)


def export_csv(store: CaseStore) -> str:
    rows, _ = store.list(limit=None)
    return write_csv(rows, CSV_COLUMNS)


def validated(engine: Engine, case: CaseIn, now: datetime) -> dict:
    """The case's fields as the store takes them, checked against the rules."""
    fields = case.model_dump(exclude={"id", "updated_at", "followup_due_at"})
    return checked_case(engine, fields, now)


def import_cases(
    engine: Engine,
    store: CaseStore,
    body: CaseImport,
    now: datetime,
    *,
    defaults: dict | None = None,
    person: str | None = None,
) -> CaseImportResult:
    """`defaults` (store_id, store_name, person) fill in what a case leaves empty: moving a
    seller's own log to a team server attaches their store and name. `person`, on a team
    server the member importing, is every case's filer."""
    if body.csv is None:
        items = [(f"cases.{i}", case) for i, case in enumerate(body.cases)]
    else:
        items = _parse_csv(body.csv)
    fields = [_checked(engine, where, case, now) for where, case in items]
    for case in fields:
        _attach(case, defaults or {})
        if person is not None:
            case["person"] = person
    added, skipped = store.add_many(fields)
    return CaseImportResult(
        imported=len(added), skipped=skipped, cases=[CaseOut.model_validate(r) for r in added]
    )


def _attach(case: dict, defaults: dict) -> None:
    """Fill in the default store (id and name together: a name belongs to its id only) and
    person where the case names none."""
    if case.get("store_id") is None and defaults.get("store_id") is not None:
        case["store_id"] = defaults["store_id"]
        case["store_name"] = case.get("store_name") or defaults.get("store_name")
    if case.get("person") is None and defaults.get("person") is not None:
        case["person"] = defaults["person"]


def _checked(engine: Engine, where: str, case: CaseImportItem, now: datetime) -> dict:
    try:
        return validated(engine, case, now)
    except DomainError as exc:  # the same error, saying which case of the file it is
        raise type(exc)(f"{where}: {exc.message}") from exc


def _parse_csv(text: str) -> list[tuple[str, CaseImportItem]]:
    """(where in the file, case) for every row."""
    try:
        rows = read_csv(text, CSV_COLUMNS, required=CSV_REQUIRED)
    except CsvError as exc:
        raise APIError(422, "invalid_input", str(exc)) from exc
    items = []
    for line, values in rows:
        try:
            items.append((f"csv line {line}", CaseImportItem.model_validate(values)))
        except ValidationError as exc:
            raise APIError(
                422, "invalid_input", f"csv line {line}: {describe_validation_error(exc)}"
            ) from exc
    return items
