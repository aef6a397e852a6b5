"""Bad input: generated spreadsheets and form posts for both importers and the main forms.

Whatever arrives, the answer is never a 500 and never a partial write, and every refusal is a
Chinese sentence that names the row and the column (imports) or the field (forms).

Inputs tried per run are the ``max_examples`` below plus the parametrized files; the total is
in docs/trust.md.
"""

from __future__ import annotations

import datetime
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from complaints.models import Complaint
from core import spreadsheets as sheets
from employers import importer as services
from employers import roster
from employers.credit_code import make_credit_code
from employers.models import Employer, Unit
from imports.base import ImportFailed
from imports.models import ImportBatch
from imports.pipeline import ImportResult
from inspections import case_ledger
from inspections import importer as ledger_importer
from inspections.items import Item
from inspections.models import Case, Patrol, PatrolCheck
from ratings.services import employer_rerate
from tests.factories import EmployerFactory
from tests.inspections.case_posts import CHECKBOX_FIELDS, DATE_FIELDS, MEASURE_FIELDS
from tests.workbooks import xlsx_bytes, xlsx_file, xlsx_rows

from .generated_files import (
    CJK,
    FLOATS,
    FORMULAS,
    FULL_WIDTH,
    HUGE_NUMBERS,
    PNG,
    TRICKY_TEXT,
    Sheet,
    encrypted_xlsx,
    full_width,
    has_cjk,
    ledger_good,
    ole2_padding_only,
    roster_good,
    sheets_of,
    truncated,
)

# How many generated inputs each property test tries (see docs/trust.md for the total).
ROSTER_SERVICE_EXAMPLES = 120
LEDGER_SERVICE_EXAMPLES = 120
ROSTER_VIEW_EXAMPLES = 40
LEDGER_VIEW_EXAMPLES = 40
RANDOM_BYTES_EXAMPLES = 60

HYPOTHESIS = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
}

ROSTER_LABELS = {str(v) for v in roster.FIELD_LABELS.values()}
LEDGER_LABELS = set(case_ledger.LABELS.values())


@contextmanager
def rolled_back() -> Iterator[None]:
    """One hypothesis example: everything it writes is undone before the next one."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextmanager
def written(sheet: Sheet) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / sheet.name
        path.write_bytes(sheet.to_bytes())
        yield path


def _titles(sheet: Sheet, labels: set[str]) -> set[str]:
    return {sheets.clean_text(t) for t in sheet.titles if sheets.clean_text(t)} | labels


def _note_like(value: object) -> bool:
    """A cell that makes its row read as a notes/totals row (合计, 填表人：…), which the reader
    skips by design."""
    text = sheets.clean_text(value)
    return any(text.startswith(label) for label in sheets.NOTE_LABELS) or ":" in text


def _report_rows(data: bytes | sheets.RejectedRowsReport) -> list[tuple]:
    if isinstance(data, sheets.RejectedRowsReport):
        buffer = io.BytesIO()
        data.save(buffer)
        data = buffer.getvalue()
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    for row in sheet.iter_rows():
        for cell in row:
            # exported cells never run as formulas (CSV/Excel injection)
            assert cell.data_type != "f", cell.value
    return list(sheet.iter_rows(values_only=True))


def _expected_present(row, rejected: set[int]) -> bool | None:
    """Whether the row's record must be in the database: True for a row that was not
    rejected, None when the junk made it unpredictable (a notes row, a changed key)."""
    if row.kind == "junk":
        return None
    if row.number in rejected:
        return False
    if row.kind == "mutated" and (
        _note_like(row.mutated_value) or row.mutated_field in ("credit_code", "number")
    ):
        return None
    return True


def _import_checked(
    sheet: Sheet,
    run: Callable[[Path], ImportResult],
    records: QuerySet,
    key: str,
    labels: set[str],
    record_check: Callable[[Any], None] = lambda record: None,
) -> None:
    """Imports the generated sheet (and undoes it after). A file the reader refuses is refused
    with a sentence and writes nothing. Otherwise every rejection names its row, a column of
    the file and a Chinese reason, and the report lists the rejected rows; the database holds
    exactly the rows said created, each good row among them, each record valid
    (``record_check`` checks more on it); importing the file again changes nothing."""
    with written(sheet) as path, rolled_back():
        try:
            result = run(path)
        except sheets.SpreadsheetError as exc:
            # only a CSV whose junk confused the separator may lose its header
            assert sheet.fmt != "xlsx", str(exc)
            assert has_cjk(str(exc))
            assert not records.exists()
            return
        numbers = {r.number for r in sheet.rows}
        rejected = {r.row for r in result.rejections}
        assert rejected <= numbers
        assert result.rejected == len(rejected)
        allowed_columns = _titles(sheet, labels)
        for rejection in result.rejections:
            assert rejection.column in allowed_columns, rejection
            assert has_cjk(rejection.reason), rejection
            assert has_cjk(str(rejection)) and str(rejection.row) in str(rejection)
        # nothing half-written: the database holds exactly what the result says was created
        assert records.count() == result.created
        stored = set(records.values_list(key, flat=True))
        for row in sheet.rows:
            present = _expected_present(row, rejected)
            if row.kind == "good":
                assert row.key in stored, row
            elif present is not None:
                assert (row.key in stored) == present, row
        for record in records:
            record.full_clean()
            record_check(record)
        if rejected:
            rows = _report_rows(result.report)
            assert {r[-1] for r in rows[1:]} == rejected
            assert all(r[-2] and has_cjk(r[-2]) for r in rows[1:])
        else:
            assert result.report is None
        again = run(path)
        assert (again.created, again.updated) == (0, 0)
        assert again.rejected == result.rejected


# --------------------------------------------------------------------------------------------
# Roster import: service
# --------------------------------------------------------------------------------------------


ROSTER_SHEETS = sheets_of(
    aliases=roster.ROSTER_COLUMNS, required=roster.REQUIRED_FIELDS, good_values=roster_good(1)
)


@pytest.mark.django_db
@settings(max_examples=ROSTER_SERVICE_EXAMPLES, **HYPOTHESIS)
@given(sheet=ROSTER_SHEETS)
def test_roster_import_takes_every_valid_row_and_names_every_rejected_one(sheet):
    units = set(Unit.objects.values_list("pk", flat=True))

    def in_a_unit_with_a_name(employer: Employer) -> None:
        assert employer.unit_id in units and employer.name

    _import_checked(
        sheet,
        lambda path: services.roster_import(path=path, name=sheet.name),
        Employer.objects.all(),
        "credit_code",
        ROSTER_LABELS,
        in_a_unit_with_a_name,
    )


@pytest.mark.django_db
@settings(max_examples=30, **HYPOTHESIS)
@given(sheet=ROSTER_SHEETS, failing_chunk=st.integers(min_value=1, max_value=3))
def test_roster_import_failing_in_the_middle_writes_nothing(sheet, failing_chunk):
    """The database refuses a later chunk (a lock timeout, a concurrent change): the chunks
    already written are rolled back with it, and the user gets a sentence, not a 500."""
    real = Employer.objects.bulk_create
    calls = []

    def bulk_create(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == failing_chunk:
            raise DatabaseError("canceling statement due to lock timeout")
        return real(objs, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch, written(sheet) as path, rolled_back():
        patch.setattr(services.RosterImporter, "chunk_size", 2)
        patch.setattr(Employer.objects, "bulk_create", bulk_create)
        try:
            services.roster_import(path=path, name=sheet.name)
        except ImportFailed as exc:
            assert "数据没有写入" in str(exc)
            assert len(calls) == failing_chunk
            assert not Employer.objects.exists()
        except sheets.SpreadsheetError:
            assert sheet.fmt != "xlsx"
        else:
            assert len(calls) < failing_chunk  # the file had fewer chunks of new employers


# --------------------------------------------------------------------------------------------
# Case ledger import: service
# --------------------------------------------------------------------------------------------

LEDGER_CODES = ["911201117706402073", "91350100M000100Y43", "92370102MA3M9AG94X"]


@pytest.fixture
def ledger_employers(unit_lqz):
    return [EmployerFactory(unit=unit_lqz, credit_code=code) for code in LEDGER_CODES]


LEDGER_SHEETS = sheets_of(
    aliases=case_ledger.COLUMNS,
    required=sorted(case_ledger.REQUIRED),
    good_values=ledger_good(LEDGER_CODES, 1),
    ignored=sheets.IGNORED_HEADERS,
)


@pytest.mark.django_db
@settings(max_examples=LEDGER_SERVICE_EXAMPLES, **HYPOTHESIS)
@given(sheet=LEDGER_SHEETS)
def test_case_ledger_takes_every_valid_row_and_names_every_rejected_one(
    sheet, ledger_employers, admin_user
):
    _import_checked(
        sheet,
        lambda path: ledger_importer.case_ledger_import(path, name=sheet.name, user=admin_user),
        Case.objects.all(),
        "number",
        LEDGER_LABELS,
    )


@pytest.mark.django_db
def test_case_ledger_losing_a_race_for_a_case_number_writes_nothing(
    ledger_employers, admin_user, client_admin, monkeypatch
):
    """Between the preview and the write another admin imports a case with the same number:
    the unique constraint refuses the insert. Nothing of the file is written, the batch says
    why, and the admin sees that message instead of a server error."""
    ledger = xlsx_bytes(
        [
            ["案件编号", "统一社会信用代码", "立案日期"],
            ["西青人社监〔2025〕901号", LEDGER_CODES[0], "2025-03-01"],
            ["西青人社监〔2025〕902号", LEDGER_CODES[1], "2025-03-02"],
        ]
    )
    upload = SimpleUploadedFile("台账.xlsx", ledger)
    client_admin.post(reverse("inspections:case_import"), {"file": upload})
    batch = ImportBatch.objects.get()
    # The other admin's case is saved after this import looked its case numbers up: the
    # lookup does not see it, the insert collides with it.
    Case.objects.create(
        number="西青人社监〔2025〕902号",
        employer=ledger_employers[2],
        source=Case.Source.SPECIAL,
        opened_on=datetime.date(2025, 3, 5),
    )
    monkeypatch.setattr(ledger_importer.CaseLedgerImporter, "existing_cases", lambda *a: {})
    url = reverse("inspections:case_import_preview", kwargs={"pk": batch.pk})
    response = client_admin.post(url, follow=True)

    assert response.status_code == 200
    assert "数据没有写入" in response.content.decode()
    assert list(Case.objects.values_list("number", flat=True)) == ["西青人社监〔2025〕902号"]
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED
    assert "数据没有写入" in batch.message


# --------------------------------------------------------------------------------------------
# Both importers through the browser views, as an admin
# --------------------------------------------------------------------------------------------


def _upload(sheet_bytes: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sheet_bytes)


def _previewed(
    client: Client, url_name: str, sheet: Sheet, model: type
) -> tuple[ImportBatch, str, HttpResponse] | None:
    """Upload the sheet and open the preview it leads to: the batch, the preview's address and
    the page, with nothing written yet. None when the upload form refused the file: one the
    reader cannot use, never a generated .xlsx, refused in Chinese with nothing written."""
    response = client.post(reverse(url_name), {"file": _upload(sheet.to_bytes(), sheet.name)})
    if response.status_code == 200:
        assert sheet.fmt != "xlsx"
        errors = response.context["form"].errors["file"]
        assert errors and all(has_cjk(e) for e in errors)
        assert not model.objects.exists()
        return None
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert not model.objects.exists()  # nothing before the admin confirms
    return batch, response["Location"], preview


@pytest.mark.django_db
@settings(max_examples=ROSTER_VIEW_EXAMPLES, **HYPOTHESIS)
@given(sheet=ROSTER_SHEETS)
def test_roster_upload_previews_then_imports_what_it_promised(sheet, client_admin):
    with rolled_back():
        previewed = _previewed(client_admin, "employers:import_roster", sheet, Employer)
        if previewed is None:
            return
        batch, _, preview = previewed
        assert batch.kind == ImportBatch.Kind.ROSTER
        html = preview.content.decode()
        for problem in batch.details["rejections"]:
            assert f'<td class="text-end">{problem["row"]}</td>' in html

        confirm = client_admin.post(reverse("employers:import_confirm", kwargs={"pk": batch.pk}))
        assert confirm.status_code == 302
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.DONE
        assert Employer.objects.count() == batch.created
        if batch.rejected:
            report = client_admin.get(reverse("employers:import_report", kwargs={"pk": batch.pk}))
            rows = _report_rows(b"".join(report.streaming_content))
            assert len(rows) - 1 == batch.rejected


@pytest.mark.django_db
@settings(max_examples=LEDGER_VIEW_EXAMPLES, **HYPOTHESIS)
@given(sheet=LEDGER_SHEETS)
def test_case_ledger_upload_previews_then_imports_what_it_promised(
    sheet, client_admin, ledger_employers
):
    with rolled_back():
        previewed = _previewed(client_admin, "inspections:case_import", sheet, Case)
        if previewed is None:
            return
        batch, preview_url, preview = previewed
        assert batch.kind == ImportBatch.Kind.CASES
        promised = preview.context["batch"].created
        html = preview.content.decode()
        for rejection in preview.context["rejections"]:
            assert f">{rejection['row']}</td>" in html

        done = client_admin.post(preview_url)
        assert done.status_code in (200, 302)
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.DONE
        assert Case.objects.count() == batch.created == promised


# --------------------------------------------------------------------------------------------
# Files that are not usable: refused in Chinese, nothing written
# --------------------------------------------------------------------------------------------


def _valid_xlsx() -> bytes:
    rows = [
        [
            LEDGER_CODES[index % 3],
            f"天津截断{index}有限公司",
            "李七庄街道",
            f"N{index}",
            "2025-01-02",
        ]
        for index in range(200)
    ]
    return xlsx_bytes([["统一社会信用代码", "单位名称", "所属街镇", "案件编号", "立案日期"], *rows])


UNUSABLE_FILES = [
    pytest.param(PNG, "roster.xlsx", "图片", id="png-named-xlsx"),
    pytest.param(b"", "roster.xlsx", "文件是空的", id="empty-xlsx"),
    pytest.param(b"", "roster.csv", "文件是空的", id="empty-csv"),
    pytest.param(encrypted_xlsx(), "roster.xlsx", "密码", id="password-protected-xlsx"),
    pytest.param(ole2_padding_only(), "roster.xlsx", "不是 Excel 工作簿", id="ole2-padding"),
    pytest.param(truncated(_valid_xlsx()), "roster.xlsx", "损坏或不完整", id="truncated-xlsx"),
    pytest.param(bytes(range(256)) * 8, "roster.csv", "不是电子表格", id="binary-named-csv"),
    pytest.param(b"%PDF-1.7\n%\xe2\xe3", "roster.csv", "PDF", id="pdf-named-csv"),
    pytest.param("名称,地址\n甲,乙\n".encode(), "roster.xlsx", "纯文本", id="text-named-xlsx"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "name", "message"), UNUSABLE_FILES)
@pytest.mark.parametrize("importer", ["roster", "ledger"])
def test_unusable_files_are_refused_by_the_upload_views(
    client_admin, ledger_employers, importer, content, name, message
):
    url = reverse("employers:import_roster" if importer == "roster" else "inspections:case_import")
    if not content:
        message = "提交的是空文件"  # Django's own check of an empty upload comes first
    response = client_admin.post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode()
    assert not Employer.objects.exclude(pk__in=[e.pk for e in ledger_employers]).exists()
    assert not Case.objects.exists()
    assert not ImportBatch.objects.exclude(state=ImportBatch.State.FAILED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "name", "message"), UNUSABLE_FILES)
def test_unusable_files_are_refused_by_both_import_services(
    tmp_path, ledger_employers, admin_user, content, name, message
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(sheets.SpreadsheetError) as refused:
        sheets.check_upload(io.BytesIO(content), name=name)
    assert message in str(refused.value)
    try:
        services.roster_import(path=path, name=name)
    except sheets.SpreadsheetError as exc:
        assert has_cjk(str(exc))
    with pytest.raises(sheets.SpreadsheetError) as refused:
        ledger_importer.case_ledger_import(path, name=name, user=admin_user)
    assert has_cjk(str(refused.value))
    assert Employer.objects.count() == len(ledger_employers)
    assert not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("importer", ["roster", "ledger"])
def test_files_over_the_size_limit_are_refused(client_admin, settings, importer):
    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 4096
    content = _valid_xlsx()
    assert len(content) > 4096
    url = reverse("employers:import_roster" if importer == "roster" else "inspections:case_import")
    response = client_admin.post(url, {"file": SimpleUploadedFile("big.xlsx", content)})
    assert response.status_code == 200
    assert "超过上限" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not Employer.objects.exists() and not Case.objects.exists()


@pytest.mark.django_db
@settings(max_examples=RANDOM_BYTES_EXAMPLES, **HYPOTHESIS)
@given(
    content=st.binary(min_size=1, max_size=4096),
    name=st.sampled_from(["roster.xlsx", "roster.xls", "roster.csv"]),
    importer=st.sampled_from(["roster", "ledger"]),
)
def test_random_bytes_are_refused_with_a_reason(client_admin, content, name, importer):
    url = reverse("employers:import_roster" if importer == "roster" else "inspections:case_import")
    with rolled_back():
        response = client_admin.post(url, {"file": SimpleUploadedFile(name, content)})
        if response.status_code == 200:
            errors = response.context["form"].errors["file"]
            assert errors and all(has_cjk(e) for e in errors)
        else:
            # bytes that pass as a file with a header: previewed, nothing written
            assert response.status_code == 302
            page = client_admin.get(response["Location"])
            assert page.status_code == 200
        assert not Employer.objects.exists()
        assert not Case.objects.exists()


@pytest.mark.parametrize(
    "cell", [1e26, "1e309", "NaN", "inf", "-Infinity", "9999999999999", "1亿元"]
)
def test_case_ledger_refuses_impossible_fines_with_a_reason(cell):
    with pytest.raises(sheets.CellError) as refused:
        case_ledger._amount(cell)
    assert has_cjk(str(refused.value))


# --------------------------------------------------------------------------------------------
# The main forms, posted through the browser views
# --------------------------------------------------------------------------------------------

EMPLOYER_FORM_EXAMPLES = 120
PATROL_FORM_EXAMPLES = 120
CASE_FORM_EXAMPLES = 150
COMPLAINT_FORM_EXAMPLES = 120

FORM_TEXT = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60),
    CJK,
    FULL_WIDTH,
    st.sampled_from(FORMULAS),
    TRICKY_TEXT,
)
FORM_NUMBER = st.one_of(
    st.just(""),
    st.integers(min_value=-5, max_value=500).map(str),
    HUGE_NUMBERS.map(str),
    FLOATS.map(str),
    st.sampled_from(["1e20", "NaN", "Infinity", "-0", "１２", "12人", "0x1F", "1,200"]),
    FORM_TEXT,
)


def _date_text(value: datetime.date) -> str:
    return value.isoformat()


FORM_DATE = st.one_of(
    st.just(""),
    st.dates(datetime.date(2024, 1, 1), datetime.date(2026, 12, 31)).map(_date_text),
    st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).map(_date_text),
    st.sampled_from(["2015年3月5日", "2015-02-30", "0000-00-00", "10000-01-01", "tomorrow", "1e5"]),
    FORM_TEXT,
)
CHECKBOX = st.sampled_from(["", "on", "true", "是"])
TEXT_OR_NUMBER = st.one_of(FORM_TEXT, FORM_NUMBER)


def _junk(
    *,
    text: Iterable[str] = (),
    dates: Iterable[str] = (),
    numbers: Iterable[str] = (),
    checkboxes: Iterable[str] = (),
    **others: st.SearchStrategy,
) -> dict[str, st.SearchStrategy]:
    """What each field may be replaced with: junk text, dates, numbers or checkbox values by
    the kind of field, or a strategy of its own."""
    return (
        dict.fromkeys(text, FORM_TEXT)
        | dict.fromkeys(dates, FORM_DATE)
        | dict.fromkeys(numbers, FORM_NUMBER)
        | dict.fromkeys(checkboxes, CHECKBOX)
        | others
    )


def _field_errors_named(response) -> None:
    """Refused: the form is shown again, each error under a field it names, in Chinese."""
    form = response.context["form"]
    html = response.content.decode()
    assert form.errors, "the form was refused without a reason"
    for name, errors in form.errors.items():
        assert name in form.fields, (name, errors)
        for message in errors:
            assert has_cjk(message), (name, message)
            assert escape(message) in html, (name, message)


def _posted(client, url: str, data: dict):
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    event("saved" if response.status_code == 302 else "refused")
    return response


def _people(values: list[str], people: dict[str, object]) -> list[str]:
    return [str(people[v].pk) if v in people else v for v in values]


def _saved_whole_or_named_the_field(
    client,
    url: str,
    data: dict,
    model: type,
    *also: type,
    saved: Callable[[Any], None],
    people: dict[str, object] | None = None,
) -> None:
    """Posts one generated form (the inspectors it names turned into ``people``'s ids) and
    undoes what it wrote. Either it saved one valid ``model`` record and the page it leads to
    opens (``saved`` checks the rest on the record), or it was refused naming each field and
    wrote no row of ``model`` nor of the ``also`` models."""
    if people is not None:
        data = {**data, "inspectors": _people(data["inspectors"], people)}
    with rolled_back():
        response = _posted(client, url, data)
        if response.status_code == 302:
            record = model.objects.get()
            record.full_clean()
            assert client.get(response["Location"]).status_code == 200
            saved(record)
        else:
            assert response.status_code == 200
            _field_errors_named(response)
            for unwritten in (model, *also):
                assert not unwritten.objects.exists(), unwritten


@pytest.fixture
def people(inspector_lqz, inspector_lqz2, inspector_ylq) -> dict:
    """The inspectors a generated post names: the user posting, a colleague of the same unit
    and an inspector of another unit."""
    return {"me": inspector_lqz, "colleague": inspector_lqz2, "other_unit": inspector_ylq}


def _for_employer(name: str, employer) -> str:
    return f"{reverse(name)}?employer={employer.credit_code}"


def _mixed(draw: st.DrawFn, valid: dict, junk: dict[str, st.SearchStrategy]) -> dict:
    """A valid post with a few fields (none, one, several) replaced by junk, so that both the
    saving path and every refusal come up."""
    replaced = draw(
        st.one_of(
            st.just(set()),
            st.sets(st.sampled_from(sorted(junk)), min_size=1, max_size=2),
            st.sets(st.sampled_from(sorted(junk))),
        )
    )
    return {**valid, **{name: draw(junk[name]) for name in sorted(replaced)}}


def _today_minus(draw: st.DrawFn, most: int = 365) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=draw(st.integers(0, most)))


# --- employer form ---------------------------------------------------------------------------


@st.composite
def employer_posts(draw: st.DrawFn) -> dict:
    serial = draw(st.integers(min_value=1, max_value=99999))
    code = make_credit_code(f"91120111{serial:09d}")
    valid = {
        "credit_code": draw(
            st.sampled_from([code, code.lower(), full_width(code), f" {code[:9]} {code[9:]}"])
        ),
        "name": "天津生成表单有限公司",
        "kind": draw(st.sampled_from(Employer.Kind.values)),
        "unit": draw(st.sampled_from(["LQZ", "YLQ"])),
        "address": "西青区李七庄街某路1号",
        "legal_representative": "王五",
        "contact_person": "赵六",
        "contact_phone": draw(st.sampled_from(["13812345678", "1.3812345678E10", "022-2738 1234"])),
        "headcount": draw(st.sampled_from(["", "0", "120"])),
        "industry": "制造业",
        "established_on": draw(st.sampled_from(["", "2015-03-05"])),
        "verified_on": "",
    }
    junk = _junk(
        text=(
            "credit_code",
            "name",
            "address",
            "legal_representative",
            "contact_person",
            "industry",
        ),
        dates=("established_on", "verified_on"),
        numbers=("headcount",),
        kind=st.sampled_from(["", "company"]),
        unit=st.sampled_from(["", "0", "abc"]),
        contact_phone=TEXT_OR_NUMBER,
    )
    return _mixed(draw, valid, junk)


@pytest.mark.django_db
@settings(max_examples=EMPLOYER_FORM_EXAMPLES, **HYPOTHESIS)
@given(data=employer_posts())
def test_employer_form_saves_whole_or_names_the_field(client_admin, unit_lqz, unit_ylq, data):
    data["unit"] = {"LQZ": str(unit_lqz.pk), "YLQ": str(unit_ylq.pk)}.get(
        data["unit"], data["unit"]
    )

    def saved(employer: Employer) -> None:
        assert client_admin.get(employer.get_absolute_url()).status_code == 200
        export = client_admin.get(reverse("employers:export"))
        assert export.status_code == 200
        xlsx_rows(export)  # a workbook that opens

    url = reverse("employers:create")
    _saved_whole_or_named_the_field(
        client_admin, url, data, Employer, Employer.history.model, saved=saved
    )


# --- patrol form -----------------------------------------------------------------------------

RESULTS = [*PatrolCheck.Result.values, "", "broken"]


@st.composite
def patrol_posts(draw: st.DrawFn) -> dict:
    outcome = draw(st.sampled_from(Patrol.Outcome.values))
    problems = (
        set()
        if outcome == Patrol.Outcome.COMPLIANT
        else draw(st.sets(st.sampled_from(Item.values), min_size=1, max_size=3))
    )
    valid = {
        "patrolled_on": _today_minus(draw).isoformat(),
        "inspectors": ["me", "colleague"],
        "person_met": "人事经理王敏",
        "headcount_seen": "23",
        "findings": "现场检查工资台账",
        "outcome": outcome,
    }
    checks = [f"check_{item}" for item in Item.values]
    junk = _junk(
        text=("person_met", "findings", *(f"note_{item}" for item in Item.values)),
        dates=("patrolled_on",),
        numbers=("headcount_seen",),
        inspectors=st.lists(
            st.sampled_from(["me", "colleague", "other_unit", "x", "99999"]),
            unique=True,
            max_size=3,
        ),
        outcome=st.sampled_from(["", "closed", *Patrol.Outcome.values]),
        **dict.fromkeys(checks, st.sampled_from(RESULTS)),
    )
    for item in Item.values:
        problem = item in problems
        valid[f"check_{item}"] = (
            PatrolCheck.Result.PROBLEM
            if problem
            else draw(
                st.sampled_from([PatrolCheck.Result.COMPLIANT, PatrolCheck.Result.NOT_CHECKED])
            )
        )
        valid[f"note_{item}"] = "拖欠工资" if problem else ""
    return _mixed(draw, valid, junk)


@pytest.mark.django_db
@settings(max_examples=PATROL_FORM_EXAMPLES, **HYPOTHESIS)
@given(data=patrol_posts())
def test_patrol_form_saves_whole_or_names_the_field(client_lqz, people, employer_lqz, data):
    def saved(patrol: Patrol) -> None:
        assert patrol.checks.count() == len(Item.values)
        assert patrol.inspectors.count() >= 2
        opened = patrol.outcome == Patrol.Outcome.CASE_OPENED
        assert Case.objects.count() == (1 if opened else 0)

    url = _for_employer("inspections:patrol_create", employer_lqz)
    _saved_whole_or_named_the_field(
        client_lqz, url, data, Patrol, PatrolCheck, Case, saved=saved, people=people
    )


# --- case form -------------------------------------------------------------------------------


@st.composite
def case_posts(draw: st.DrawFn) -> dict:
    opened = _today_minus(draw, 700)
    decided = opened + datetime.timedelta(days=draw(st.integers(0, 60)))

    def after(start: datetime.date, most: int = 90) -> str:
        return (start + datetime.timedelta(days=draw(st.integers(0, most)))).isoformat()

    valid = {
        "number": draw(st.sampled_from(["", "西青人社监〔2025〕900号"])),
        "source": draw(st.sampled_from(Case.Source.values)),
        "opened_on": opened.isoformat(),
        "violation_items": draw(st.lists(st.sampled_from(Item.values), unique=True, max_size=3)),
        "inspectors": ["me", "colleague"],
        "facts": "拖欠工资",
        **dict.fromkeys(MEASURE_FIELDS, ""),
        "mass_incident": draw(CHECKBOX),
        "criminal": draw(CHECKBOX),
        "closed_on": draw(st.sampled_from(["", after(opened, 200)])),
    }
    measures = draw(st.sets(st.sampled_from(["order", "decision", "penalty"])))
    if measures:
        valid["decided_on"] = decided.isoformat()
    if "order" in measures:
        valid |= {"order_issued": "on", "order_deadline": after(decided)}
        valid["order_rectified_on"] = draw(st.sampled_from(["", after(decided)]))
    if "decision" in measures:
        valid |= {
            "decision_issued": "on",
            "decision_number": "西青人社处〔2025〕1号",
            "decision_deadline": after(decided),
            "decision_fulfilled_on": draw(st.sampled_from(["", after(decided)])),
        }
    if "penalty" in measures:
        valid |= {
            "penalty_issued": "on",
            "penalty_number": "西青人社罚〔2025〕1号",
            "penalty_amount": draw(st.sampled_from(["20000", "0", "1234.56", "999999999999.99"])),
        }
    junk = _junk(
        text=("number", "facts", "decision_number", "penalty_number"),
        dates=DATE_FIELDS,
        numbers=("penalty_amount",),
        checkboxes=CHECKBOX_FIELDS,
        source=st.sampled_from(["", "rumour"]),
        violation_items=st.lists(st.sampled_from([*Item.values, "bogus"]), unique=True, max_size=3),
        inspectors=st.lists(
            st.sampled_from(["me", "colleague", "other_unit", "x"]), unique=True, max_size=3
        ),
    )
    return _mixed(draw, valid, junk)


@pytest.mark.django_db
@settings(max_examples=CASE_FORM_EXAMPLES, **HYPOTHESIS)
@given(data=case_posts())
def test_case_form_saves_whole_or_names_the_field(client_lqz, people, employer_lqz, data):
    def saved(case: Case) -> None:
        assert case.inspectors.count() >= 2
        # the rerun that follows the commit must cope with whatever dates were accepted
        rating = employer_rerate(employer_id=employer_lqz.pk, cause="case_changed")
        assert rating.level in ("A", "B", "C")
        assert client_lqz.get(employer_lqz.get_absolute_url()).status_code == 200

    url = _for_employer("inspections:case_create", employer_lqz)
    _saved_whole_or_named_the_field(client_lqz, url, data, Case, saved=saved, people=people)


# --- complaint intake form -------------------------------------------------------------------


@st.composite
def complaint_posts(draw: st.DrawFn) -> dict:
    unregistered = draw(st.booleans())
    valid = {
        "kind": draw(st.sampled_from(Complaint.Kind.values)),
        "channel": draw(st.sampled_from(Complaint.Channel.values)),
        "received_on": _today_minus(draw, 60).isoformat(),
        "anonymous": "",
        "complainant_name": "张三",
        "complainant_id_number": draw(st.sampled_from(["", "12010119900101123X"])),
        "complainant_phone": "13812345678",
        "complainant_address": "西青区某小区",
        "employer_query": "" if unregistered else draw(st.sampled_from(["EMPLOYER", "CODE"])),
        "unregistered": "on" if unregistered else "",
        "unregistered_name": "无照经营的小作坊" if unregistered else "",
        "unregistered_address": "",
        "unit": "LQZ" if unregistered else "",
        "workers_involved": "8",
        "amount_involved": "36000",
        "description": "拖欠8名职工工资",
        "items": ["wages"],
        "inspectors": draw(st.sampled_from([[], ["colleague"]])),
    }
    junk = _junk(
        text=(
            "complainant_name",
            "complainant_address",
            "unregistered_name",
            "unregistered_address",
            "description",
        ),
        dates=("received_on",),
        numbers=("workers_involved", "amount_involved"),
        checkboxes=("anonymous", "unregistered"),
        kind=st.sampled_from([*Complaint.Kind.values, "", "rumour"]),
        channel=st.sampled_from(["", "pigeon"]),
        complainant_id_number=TEXT_OR_NUMBER,
        complainant_phone=TEXT_OR_NUMBER,
        employer_query=st.sampled_from(["OTHER_UNIT", "", "天津", "=1+1", "9112"]),
        unit=st.sampled_from(["YLQ", "", "abc", "LQZ"]),
        items=st.lists(st.sampled_from([*Item.values, "bogus"]), unique=True, max_size=3),
        inspectors=st.lists(
            st.sampled_from(["colleague", "other_unit", "x"]), unique=True, max_size=2
        ),
    )
    return _mixed(draw, valid, junk)


@pytest.mark.django_db
@settings(max_examples=COMPLAINT_FORM_EXAMPLES, **HYPOTHESIS)
@given(data=complaint_posts())
def test_complaint_intake_saves_whole_or_names_the_field(
    client_lqz, people, employer_lqz, employer_ylq, data
):
    data["employer_query"] = {
        "EMPLOYER": employer_lqz.name,
        "CODE": employer_lqz.credit_code,
        "OTHER_UNIT": employer_ylq.credit_code,
    }.get(data["employer_query"], data["employer_query"])
    data["unit"] = {"LQZ": str(employer_lqz.unit_id), "YLQ": str(employer_ylq.unit_id)}.get(
        data["unit"], data["unit"]
    )

    def saved(complaint: Complaint) -> None:
        assert complaint.items.exists()
        assert complaint.employer_id != employer_ylq.pk

    url = reverse("complaints:create")
    _saved_whole_or_named_the_field(client_lqz, url, data, Complaint, saved=saved, people=people)


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0001", "0202", "2925"])
def test_case_form_refuses_a_mistyped_year_that_would_break_the_rating(
    client_lqz, inspector_lqz, inspector_lqz2, employer_lqz, year
):
    """Found by the generated posts: a case decided in year 0001 was saved, and every rerun
    of the employer's rating then failed (the engine counts months from the dates)."""
    data = {
        "source": Case.Source.PATROL,
        "opened_on": f"{year}-03-01",
        "inspectors": [inspector_lqz.pk, inspector_lqz2.pk],
        "decided_on": f"{year}-03-10",
        "order_issued": "on",
        "order_deadline": f"{year}-04-10",
    }
    response = client_lqz.post(_for_employer("inspections:case_create", employer_lqz), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    for field in ("opened_on", "decided_on", "order_deadline"):
        assert f"日期 {data[field]} 不合理" in " ".join(errors[field])
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_control_characters_in_a_name_do_not_break_the_export(client_admin, unit_lqz):
    """Found by the generated files: a CSV cell with a control character (\\x1f) made the
    rejected-rows report fail to save; the same value typed into a form broke the export."""
    EmployerFactory(unit=unit_lqz, name="天津\x01控制\x1f字符有限公司")
    export = client_admin.get(reverse("employers:export"))
    assert export.status_code == 200
    names = [row[1] for row in xlsx_rows(export)[1:]]
    assert names == ["天津控制字符有限公司"]


@pytest.mark.django_db
def test_negative_amount_in_a_complaint_is_an_error_on_the_field(client_lqz, employer_lqz):
    """Found by the generated posts: the database constraint refused it with a message for
    the whole form; now it names the field."""
    response = client_lqz.post(
        reverse("complaints:create"),
        {
            "kind": Complaint.Kind.COMPLAINT,
            "channel": Complaint.Channel.VISIT,
            "received_on": datetime.date.today().isoformat(),
            "complainant_name": "张三",
            "employer_query": employer_lqz.credit_code,
            "amount_involved": "-1",
            "items": ["wages"],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount_involved"] == ["涉及金额不能为负数。"]
    assert not Complaint.objects.exists()


def _late_nul_csv(importer: str) -> bytes:
    """A CSV whose first 64 KB are clean (so it passes the upload check) and whose last row
    carries a NUL character in a text cell."""
    if importer == "roster":
        lines = ["统一社会信用代码,单位名称,所属街镇"]
        lines += [
            f"{make_credit_code(f'91120111{n:09d}')},天津第{n}有限公司,李七庄"
            for n in range(1, 1500)
        ]
        lines.append(f"{make_credit_code('911201110000099999'[:17])},天津\x00零字符公司,李七庄")
    else:
        lines = ["案件编号,统一社会信用代码,立案日期,违法事实"]
        lines += [
            f"N{n},{LEDGER_CODES[n % 3]},2025-03-01,拖欠工资{'甲' * 30}" for n in range(1, 1200)
        ]
        lines.append(f"N9999,{LEDGER_CODES[0]},2025-03-01,拖欠\x00工资")
    return "\r\n".join(lines).encode()


@pytest.mark.django_db
@pytest.mark.parametrize("importer", ["roster", "ledger"])
def test_a_nul_character_deep_in_a_file_is_dropped_not_a_server_error(
    client_admin, ledger_employers, importer
):
    """Found on PostgreSQL: text there cannot hold NUL, so a NUL past the first 64 KB (the
    part the upload check reads) made the import's write fail with a server error. The same
    happened with an .xlsx cell holding the escape _x0000_."""
    content = _late_nul_csv(importer)
    assert len(content) > 64 * 1024
    if importer == "roster":
        response = client_admin.post(
            reverse("employers:import_roster"), {"file": SimpleUploadedFile("名单.csv", content)}
        )
        batch = ImportBatch.objects.get()
        client_admin.post(reverse("employers:import_confirm", kwargs={"pk": batch.pk}))
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.DONE and batch.created == 1500
        assert Employer.objects.filter(name="天津零字符公司").exists()
    else:
        response = client_admin.post(
            reverse("inspections:case_import"), {"file": SimpleUploadedFile("台账.csv", content)}
        )
        client_admin.post(response["Location"])
        assert Case.objects.count() == 1200
        assert Case.objects.get(number="N9999").facts == "拖欠工资"


@pytest.mark.django_db
def test_an_escaped_nul_in_an_xlsx_cell_is_dropped(tmp_path):
    path = xlsx_file(
        tmp_path / "名单.xlsx",
        [
            ["统一社会信用代码", "单位名称", "所属街镇"],
            [LEDGER_CODES[0], "天津_x0000_零字符公司", "李七庄街道"],
        ],
    )
    result = services.roster_import(path=path)
    assert result.created == 1
    assert Employer.objects.get().name == "天津零字符公司"
