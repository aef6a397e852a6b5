"""An admin uploads a 50,000-row roster and watches the import: the progress moves while the
file is read, the preview comes, and after confirming the progress moves again to done. No
request of the page takes long: the work runs outside the requests.

The jobs run in a thread of the test process (setting IMPORT_JOBS_IN_THREAD) rather than on a
Celery worker: the same ``imports.jobs`` functions the Celery tasks call, without a broker, so
the test needs no Redis. It needs PostgreSQL: on SQLite the job's thread and the live server
share one in-memory database whose writers lock each other out.
"""

import time

import pytest
from django.db import connection
from openpyxl import Workbook

from employers.credit_code import make_credit_code
from employers.importer import RosterImporter
from employers.models import Employer
from imports.models import ImportBatch

from .journey import login

ROWS = 50_000

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the job thread needs PostgreSQL (see above)"
)


def _roster(path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["单位名称", "统一社会信用代码", "所属街镇", "职工人数"])
    for index in range(ROWS):
        code = make_credit_code(f"91120111MB{index:07d}")
        sheet.append([f"进度测试单位{index}", code, "李七庄街道", 10 + index % 90])
    workbook.save(path)


def _watch(page, until_state: str, timeout: float = 240) -> list[tuple[str, int]]:
    """(state, rows read) as the page shows them, until the batch is in ``until_state``."""
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = ImportBatch.objects.get()
        box = page.locator("[data-testid=import-progress]")
        try:
            if box.count():
                read = box.locator("[data-testid=progress-read]").inner_text(timeout=500)
                seen.append((box.get_attribute("data-state", timeout=500) or "", int(read)))
        except Exception:
            pass
        if batch.state == until_state and not box.count():
            return seen
        assert batch.state != ImportBatch.State.FAILED, batch.message
        time.sleep(0.25)
    raise AssertionError(f"no {until_state} within {timeout} s; seen {seen[-5:]}")


@pytest.mark.django_db(transaction=True)
def test_admin_watches_a_large_roster_import(
    page, live_server, admin_user, unit_lqz, settings, tmp_path, monkeypatch
):
    settings.IMPORT_JOBS_IN_THREAD = True
    # Smaller chunks: more steps of the progress to see on a fast machine.
    monkeypatch.setattr(RosterImporter, "chunk_size", 1000)
    path = tmp_path / "花名册_进度.xlsx"
    _roster(path)
    login(page, live_server, admin_user.username)
    durations: list[tuple[str, float]] = []
    page.on(
        "requestfinished",
        lambda request: durations.append((request.url, request.timing["responseEnd"])),
    )
    started = time.monotonic()
    page.goto(f"{live_server.url}/imports/roster/new/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_test_id("upload-button").click()
    page.wait_for_load_state()

    reading = _watch(page, ImportBatch.State.PREVIEWED)
    page.get_by_test_id("count-created").wait_for(timeout=30_000)
    assert page.get_by_test_id("count-created").inner_text() == str(ROWS)
    assert Employer.objects.count() == 0
    # The page showed the reading in progress, and the count moved.
    assert any(state in ("uploaded", "validating") for state, _read in reading), reading
    assert len({read for _state, read in reading}) >= 2, reading

    page.get_by_test_id("confirm-import").click()
    page.wait_for_load_state()
    writing = _watch(page, ImportBatch.State.DONE)
    page.get_by_test_id("count-created").wait_for(timeout=30_000)
    assert page.get_by_test_id("batch-status").inner_text() == "已导入"
    assert Employer.objects.count() == ROWS
    assert any(state == "writing" for state, _read in writing), writing
    assert len({read for _state, read in writing}) >= 2, writing

    # No request waited on the import: each took a small part of the whole (responseEnd is
    # in milliseconds from the request's start), however loaded the machine.
    whole_ms = (time.monotonic() - started) * 1000
    slow = [(url, ms) for url, ms in durations if ms > min(10_000, whole_ms / 4)]
    assert not slow, (slow, whole_ms)
    assert any("/progress/" in url for url, _ms in durations)
