"""The case log: record filed cases, list them, record replies, follow-up reminders,
export and import."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response
from pydantic import ValidationError

from ...domain.cases import (
    checked_case,
    followup_after,
    followups,
    requested_change,
    status_change,
)
from ...domain.moments import resolve_at
from ...rules.models import Fact
from ..errors import APIError, describe_validation_error
from ..extensions import current_engine, current_store
from ..openapi import API_PREFIX, endpoint
from ..schemas import (
    AdviceOut,
    CaseExportQuery,
    CaseImport,
    CaseImportItem,
    CaseImportResult,
    CaseIn,
    CaseList,
    CaseListQuery,
    CaseOut,
    CasePatch,
    FollowupOut,
    FollowupsResponse,
    MomentQuery,
)

bp = Blueprint("cases", __name__, url_prefix=API_PREFIX)

CSV_COLUMNS = list(CaseOut.model_fields)
MAX_IMPORT_BYTES = 16 * 1024 * 1024


def _validated(case: CaseIn) -> dict:
    return checked_case(current_engine(), case.model_dump(exclude={"id", "updated_at"}))


def _not_found(case_pk: int) -> APIError:
    return APIError(404, "case_not_found", f"no case with id {case_pk}")


@endpoint(
    bp,
    "/cases",
    method="POST",
    summary="Record a filed case",
    body=CaseIn,
    response=CaseOut,
    status=201,
)
def create_case(body: CaseIn):
    return CaseOut.model_validate(current_store().add(**_validated(body)))


@endpoint(
    bp,
    "/cases",
    summary="Filed cases, newest first, by marketplace and status, paginated",
    query=CaseListQuery,
    response=CaseList,
)
def list_cases(query: CaseListQuery):
    marketplace = None
    if query.marketplace is not None:
        marketplace = current_engine().marketplace(query.marketplace).code
    rows, total = current_store().list(
        marketplace=marketplace, status=query.status, limit=query.limit, offset=query.offset
    )
    return CaseList(cases=[CaseOut.model_validate(r) for r in rows], total=total)


@endpoint(bp, "/cases/<int:case_pk>", summary="One filed case", response=CaseOut)
def get_case(case_pk: int):
    found = current_store().get(case_pk)
    if found is None:
        raise _not_found(case_pk)
    return CaseOut.model_validate(found)


@endpoint(
    bp,
    "/cases/<int:case_pk>",
    method="PATCH",
    summary="Record a reply, a status change or Amazon's case id",
    body=CasePatch,
    response=CaseOut,
)
def update_case(case_pk: int, body: CasePatch):
    patch = requested_change(body.model_dump(exclude_unset=True))
    store = current_store()
    current = store.get(case_pk)
    if current is None:
        raise _not_found(case_pk)
    changes = status_change(current, patch, datetime.now().astimezone())
    updated = store.update(case_pk, changes)
    if updated is None:  # deleted meanwhile
        raise _not_found(case_pk)
    return CaseOut.model_validate(updated)


@endpoint(
    bp,
    "/cases/<int:case_pk>",
    method="DELETE",
    summary="Delete a filed case",
    response=None,
    status=204,
)
def delete_case(case_pk: int):
    if not current_store().delete(case_pk):
        raise _not_found(case_pk)


def _advice(fact: Fact) -> AdviceOut:
    return AdviceOut(id=fact.id, text=fact.text, source=fact.source)


@endpoint(
    bp,
    "/cases/followups",
    summary="Open cases with no reply after 72 hours, with the follow-up checklist",
    query=MomentQuery,
    response=FollowupsResponse,
)
def list_followups(query: MomentQuery):
    rules = current_engine().rules
    at = resolve_at(query.at, ZoneInfo(query.tz))
    unanswered = current_store().due_followups(at, followup_after(rules))
    items = [
        FollowupOut(
            case=CaseOut.model_validate(f.case),
            due_at=f.due_at.isoformat(),
            hours_open=f.hours_open,
            checklist=[_advice(fact) for fact in f.checklist],
            account_route=_advice(f.account_route) if f.account_route else None,
        )
        for f in followups(rules, unanswered, at)
    ]
    return FollowupsResponse(
        at=at.isoformat(), after_hours=rules.facts.followup.after_hours, followups=items
    )


@endpoint(
    bp,
    "/cases/export",
    summary="Every case, as JSON (the import format) or CSV (UTF-8 with BOM, for Excel)",
    query=CaseExportQuery,
    response=CaseList,
    produces=("text/csv",),
)
def export_cases(query: CaseExportQuery):
    rows, total = current_store().list(limit=None)
    if query.format == "json":
        return CaseList(cases=[CaseOut.model_validate(r) for r in rows], total=total)
    out = io.StringIO()
    out.write("\ufeff")  # Excel needs the BOM to read UTF-8 Chinese
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="cases.csv"'},
    )


def _parse_csv(text: str) -> list[CaseImportItem]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    missing = {"text", "category", "marketplace", "filed_at"} - set(reader.fieldnames or [])
    if missing:
        raise APIError(422, "invalid_input", f"csv: header lacks {sorted(missing)}")
    items = []
    for line, row in enumerate(reader, start=2):
        values = {k: v for k, v in row.items() if k in CSV_COLUMNS and v not in ("", None)}
        try:
            items.append(CaseImportItem.model_validate(values))
        except ValidationError as exc:
            raise APIError(
                422, "invalid_input", f"csv line {line}: {describe_validation_error(exc)}"
            ) from exc
    return items


@endpoint(
    bp,
    "/cases/import",
    method="POST",
    summary="Import a JSON export's `cases` or a CSV export's text; skips cases already stored",
    body=CaseImport,
    response=CaseImportResult,
    max_body=MAX_IMPORT_BYTES,
)
def import_cases(body: CaseImport):
    items = body.cases if body.csv is None else _parse_csv(body.csv)
    fields = [_validated(c) for c in items]
    added, skipped = current_store().add_many(fields)
    return CaseImportResult(
        imported=len(added), skipped=skipped, cases=[CaseOut.model_validate(r) for r in added]
    )
