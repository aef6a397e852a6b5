"""Imports as jobs: states and their constraint, one write per confirm, nothing written by a
failed write (and a retry that works), stale heartbeats, progress, header-only files and the
unit taken from a file's name."""

import datetime
import io
import json
import sys
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from employers.credit_code import make_credit_code
from employers.importer import RosterImporter
from employers.models import Employer
from imports import jobs, tasks
from imports.models import ImportBatch
from imports.pipeline import run_import
from tests.concurrency import run_at_once
from tests.workbooks import xlsx_bytes

State = ImportBatch.State
HEADER = ["单位名称", "统一社会信用代码", "所属街镇", "职工人数"]


def valid_codes(count: int) -> list[str]:
    return [make_credit_code(f"91120111MA{index:07d}") for index in range(count)]


def _xlsx(rows, header=HEADER) -> bytes:
    return xlsx_bytes([header, *rows])


def _roster(count: int, *, unit: bool = True) -> bytes:
    codes = valid_codes(count)
    if unit:
        return _xlsx([[f"单位{i}", code, "李七庄街道", 10 + i] for i, code in enumerate(codes)])
    return _xlsx(
        [[f"单位{i}", code, 10 + i] for i, code in enumerate(codes)],
        header=["单位名称", "统一社会信用代码", "职工人数"],
    )


def _upload(client, content: bytes, name: str = "花名册.xlsx"):
    return client.post("/imports/roster/new/", {"file": SimpleUploadedFile(name, content)})


def _batch(content: bytes, name: str = "花名册.xlsx", **fields) -> ImportBatch:
    batch = ImportBatch(kind="roster", file_name=name, **fields)
    batch.upload.save(name, ContentFile(content), save=False)
    batch.save()
    return batch


# -- states -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_state_is_refused_by_the_database(admin_user):
    batch = ImportBatch.objects.create(kind="roster", file_name="x.xlsx")
    assert batch.state == State.UPLOADED
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(state="committed")
    assert set(State.values) == {
        "uploaded",
        "validating",
        "previewed",
        "writing",
        "done",
        "failed",
        "cancelled",
    }


@pytest.mark.django_db
def test_states_of_an_upload_and_a_confirm(client_admin, unit_lqz):
    _upload(client_admin, _roster(5))
    batch = ImportBatch.objects.get()
    assert (batch.state, batch.created, batch.rows_read, batch.rows_validated) == (
        State.PREVIEWED,
        5,
        5,
        5,
    )
    assert batch.rows_total is not None and batch.rows_total >= 5
    assert Employer.objects.count() == 0
    client_admin.post(f"/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert (batch.state, batch.created, batch.rows_written) == (State.DONE, 5, 5)
    assert batch.committed_at is not None
    assert Employer.objects.count() == 5


@pytest.mark.django_db
def test_a_move_from_the_wrong_state_does_nothing(unit_lqz):
    batch = _batch(_roster(2))
    assert not jobs.move(batch.pk, State.PREVIEWED, State.WRITING)
    assert jobs.move(batch.pk, State.UPLOADED, State.CANCELLED)
    jobs.validate(batch.pk)  # a late worker finds the batch cancelled
    batch.refresh_from_db()
    assert batch.state == State.CANCELLED and batch.rows_read == 0


@pytest.mark.django_db
def test_cancel_before_confirm(client_admin, unit_lqz):
    _upload(client_admin, _roster(3))
    batch = ImportBatch.objects.get()
    client_admin.post(f"/imports/{batch.pk}/cancel/")
    batch.refresh_from_db()
    assert batch.state == State.CANCELLED
    client_admin.post(f"/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.state == State.CANCELLED
    assert Employer.objects.count() == 0
    assert "confirm-import" not in client_admin.get(f"/imports/{batch.pk}/").content.decode()


# -- one write per batch ----------------------------------------------------------------------


@pytest.mark.django_db
def test_double_confirm_writes_once(client_admin, unit_lqz, admin_user):
    _upload(client_admin, _roster(4))
    batch = ImportBatch.objects.get()
    first = client_admin.post(f"/imports/{batch.pk}/confirm/", follow=True)
    second = client_admin.post(f"/imports/{batch.pk}/confirm/", follow=True)
    assert first.status_code == second.status_code == 200
    assert (
        "已经确认" in second.content.decode() or "already been confirmed" in second.content.decode()
    )
    assert Employer.objects.count() == 4
    assert not jobs.confirm(batch.pk, user=admin_user)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_confirms_at_the_same_time_write_once(unit_lqz, admin_user, settings):
    batch = _batch(_roster(30))
    jobs.validate(batch.pk)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    barrier = threading.Barrier(2)
    results = []

    def confirm() -> None:
        barrier.wait()
        results.append(jobs.confirm(batch.pk, user=admin_user))

    assert run_at_once(confirm, 2) == []
    assert sorted(results) == [False, True]
    assert Employer.objects.count() == 30
    assert ImportBatch.objects.get().state == State.DONE


# -- a failed write ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_failure_during_the_write_leaves_nothing_and_retry_works(
    client_admin, unit_lqz, monkeypatch
):
    monkeypatch.setattr(RosterImporter, "chunk_size", 10)
    _upload(client_admin, _roster(35))
    batch = ImportBatch.objects.get()
    calls = []
    real_write = RosterImporter.write

    def dying_write(self, plan, context):
        calls.append(len(plan.create))
        if len(calls) == 3:  # two chunks are written, then the worker dies
            raise RuntimeError("worker killed")
        return real_write(self, plan, context)

    monkeypatch.setattr(RosterImporter, "write", dying_write)
    client_admin.post(f"/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert (batch.state == State.FAILED and "再试" in batch.message) or "try again" in batch.message
    assert Employer.objects.count() == 0
    page = client_admin.get(f"/imports/{batch.pk}/").content.decode()
    assert 'data-testid="retry-import"' in page

    monkeypatch.setattr(RosterImporter, "write", real_write)
    client_admin.post(f"/imports/{batch.pk}/retry/")
    batch.refresh_from_db()
    assert batch.state == State.PREVIEWED and batch.created == 35
    client_admin.post(f"/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.state == State.DONE and Employer.objects.count() == 35


@pytest.mark.django_db
def test_a_batch_failed_while_it_was_written_rolls_the_write_back(unit_lqz, monkeypatch):
    """The stale check failed the batch while a slow worker still wrote: the worker's final
    move to done finds it failed, and its write is rolled back."""
    batch = _batch(_roster(6))
    jobs.validate(batch.pk)
    jobs.move(batch.pk, State.PREVIEWED, State.WRITING)
    real_finish = RosterImporter.finish

    def finish_late(self, context):
        real_finish(self, context)
        ImportBatch.objects.filter(pk=batch.pk).update(state=State.FAILED)

    monkeypatch.setattr(RosterImporter, "finish", finish_late)
    jobs.write(batch.pk)
    assert Employer.objects.count() == 0


# -- stale heartbeats -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stale_heartbeat_fails_the_batch_when_looked_at(client_admin, settings, unit_lqz):
    settings.IMPORT_STALE_AFTER_SECONDS = 300
    old = timezone.now() - datetime.timedelta(seconds=301)
    batch = _batch(_roster(2), state=State.WRITING, heartbeat_at=old)
    fresh = _batch(_roster(2), state=State.VALIDATING, heartbeat_at=timezone.now())
    page = client_admin.get(f"/imports/{batch.pk}/").content.decode()
    batch.refresh_from_db()
    assert batch.state == State.FAILED
    assert 'data-testid="retry-import"' in page
    assert ImportBatch.objects.get(pk=fresh.pk).state == State.VALIDATING
    client_admin.post(f"/imports/{batch.pk}/retry/")
    batch.refresh_from_db()
    assert batch.state == State.PREVIEWED


@pytest.mark.django_db
def test_the_periodic_task_fails_stale_batches(settings, unit_lqz):
    from xiqing_credit.celery import app

    assert "imports.imports_fail_stale" in {
        entry["task"] for entry in app.conf.beat_schedule.values()
    }
    settings.IMPORT_STALE_AFTER_SECONDS = 60
    old = timezone.now() - datetime.timedelta(minutes=5)
    queued = _batch(_roster(1))
    ImportBatch.objects.filter(pk=queued.pk).update(created_at=old)  # nobody took it
    dead = _batch(_roster(1), state=State.VALIDATING, heartbeat_at=old)
    done = _batch(_roster(1), state=State.DONE, heartbeat_at=old)
    assert tasks.imports_fail_stale.apply().get() == 2
    states = dict(ImportBatch.objects.values_list("pk", "state"))
    assert states == {queued.pk: State.FAILED, dead.pk: State.FAILED, done.pk: State.DONE}


# -- progress ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_progress_is_stored_every_chunk_not_every_row(unit_lqz, monkeypatch):
    monkeypatch.setattr(RosterImporter, "chunk_size", 10)
    calls = []
    result = run_import(
        RosterImporter(),
        io.BytesIO(_roster(25)),
        name="x.xlsx",
        dry_run=True,
        progress=lambda *counts: calls.append(counts),
    )
    assert result.created == 25
    # three chunks and the end
    assert calls == [(10, 10, 0), (20, 20, 0), (25, 25, 0), (25, 25, 0)]


@pytest.mark.django_db
def test_progress_endpoint_json_and_html(client_admin, unit_lqz):
    batch = _batch(
        _roster(1),
        state=State.VALIDATING,
        rows_total=1000,
        rows_read=400,
        rows_validated=380,
        heartbeat_at=timezone.now(),
        step_started_at=timezone.now() - datetime.timedelta(seconds=10),
    )
    data = json.loads(client_admin.get(f"/imports/{batch.pk}/progress/?format=json").content)
    assert data["state"] == "validating" and data["working"] is True
    assert (data["rows_read"], data["rows_validated"], data["rows_total"]) == (400, 380, 1000)
    assert data["percent"] == 40 and 10 <= data["seconds_left"] <= 20
    html = client_admin.get(f"/imports/{batch.pk}/progress/", HTTP_HX_REQUEST="true")
    text = html.content.decode()
    assert 'hx-trigger="every 1s"' in text and ">400<" in text and ">380<" in text
    assert "HX-Refresh" not in html
    assert "<script" not in text

    ImportBatch.objects.filter(pk=batch.pk).update(state=State.PREVIEWED)
    html = client_admin.get(f"/imports/{batch.pk}/progress/")
    assert html["HX-Refresh"] == "true"  # the step is over: the page reloads to the preview
    assert "hx-trigger" not in html.content.decode()


@pytest.mark.django_db
def test_progress_is_for_admins_only(client_lqz, unit_lqz):
    batch = _batch(_roster(1))
    assert client_lqz.get(f"/imports/{batch.pk}/progress/").status_code == 403
    assert client_lqz.post(f"/imports/{batch.pk}/cancel/").status_code == 403
    assert client_lqz.post(f"/imports/{batch.pk}/retry/").status_code == 403


@pytest.mark.django_db
def test_the_page_of_a_running_import_polls_its_progress(client_admin, unit_lqz):
    batch = _batch(_roster(1), state=State.WRITING, heartbeat_at=timezone.now())
    page = client_admin.get(f"/imports/{batch.pk}/").content.decode()
    assert f'hx-get="/imports/{batch.pk}/progress/"' in page
    assert 'data-testid="confirm-import"' not in page


# -- odd files --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_header_only_file_says_there_are_no_rows_and_offers_no_confirm(client_admin):
    _upload(client_admin, _xlsx([]))
    batch = ImportBatch.objects.get()
    assert batch.state == State.PREVIEWED and batch.summary.endswith("rejected=0")
    page = client_admin.get(f"/imports/{batch.pk}/").content.decode()
    assert 'data-testid="no-data-rows"' in page
    assert 'data-testid="confirm-import"' not in page


@pytest.mark.django_db
def test_unit_from_the_file_name_when_the_admin_ticks_it(client_admin, unit_lqz):
    _upload(client_admin, _roster(3, unit=False), name="李七庄街_用人单位花名册.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.state == State.PREVIEWED and batch.created == 3
    page = client_admin.get(f"/imports/{batch.pk}/").content.decode()
    assert 'data-testid="fill-from-name"' in page and "李七庄街道" in page
    client_admin.post(f"/imports/{batch.pk}/confirm/", {"fill_from_name": "1"})
    batch.refresh_from_db()
    assert batch.state == State.DONE and batch.created == 3
    assert set(Employer.objects.values_list("unit__code", flat=True)) == {unit_lqz.code}


@pytest.mark.django_db
def test_without_the_tick_the_rows_are_rejected_naming_the_missing_column(client_admin, unit_lqz):
    _upload(client_admin, _roster(2, unit=False), name="李七庄街_用人单位花名册.xlsx")
    batch = ImportBatch.objects.get()
    client_admin.post(f"/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.state == State.DONE
    assert (batch.created, batch.rejected) == (0, 2)
    reasons = {r["column"] for r in batch.details["rejections"]}
    assert reasons == {"所属街镇"}
    assert Employer.objects.count() == 0


@pytest.mark.django_db
def test_a_roster_without_unit_column_or_unit_name_says_which_column_is_missing(
    client_admin, unit_lqz
):
    _upload(client_admin, _roster(2, unit=False), name="花名册.xlsx")
    batch = ImportBatch.objects.get()
    assert (batch.created, batch.rejected) == (0, 2)
    page = client_admin.get(f"/imports/{batch.pk}/").content.decode()
    assert 'data-testid="missing-columns"' in page and "所属街镇" in page
    assert 'data-testid="confirm-import"' not in page


# -- the command line -------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.django_db
def test_command_prints_progress_to_stderr_only_on_a_terminal(tmp_path, unit_lqz, monkeypatch):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(_roster(3))
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    call_command("import_roster", str(path), "--dry-run", stdout=out)
    assert out.getvalue().strip() == "created=3 updated=0 unchanged=0 rejected=0"
    assert err.getvalue() == ""
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    out = io.StringIO()
    call_command("import_roster", str(path), "--dry-run", stdout=out)
    assert out.getvalue().strip() == "created=3 updated=0 unchanged=0 rejected=0"
    assert "3" in terminal.getvalue() and terminal.getvalue().startswith("\r")
