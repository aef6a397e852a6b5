"""Hostile workbooks end to end: refused with their message by the upload page and by the
command line, nothing written. (The reader's limits and the peak memory of each read, measured in
a child process, are in tests/core/test_spreadsheet_limits.py; these are the same files at the
doors a user comes through.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from bench import bombs
from employers.models import Employer
from imports.models import ImportBatch

State = ImportBatch.State


def _rows(tmp_path, settings):
    settings.SPREADSHEET_MAX_ROWS = 100
    return bombs.many_rows(tmp_path / "rows.xlsx", rows=150, columns=2)


# each bomb: how to make it, and the words its refusal names
BOMBS = {
    "expanding": (lambda tmp, _s: bombs.expanding(tmp / "expanding.xlsx"), "300 MB"),
    "ratio": (lambda tmp, _s: bombs.expanding(tmp / "ratio.xlsx", size=40 << 20), "压缩比"),
    "rows": (_rows, "行"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("make", sorted(BOMBS))
def test_the_upload_page_refuses_each_bomb_with_its_message(make, client_admin, tmp_path, settings):
    build, words = BOMBS[make]
    path = build(tmp_path, settings)
    with translation.override("zh-hans"):
        response = client_admin.post(
            "/imports/roster/new/",
            {"file": SimpleUploadedFile(path.name, path.read_bytes())},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
            follow=True,
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert words in page
    assert "确认导入" not in page
    assert Employer.objects.count() == 0
    batch = ImportBatch.objects.first()
    assert batch is None or batch.state in (State.FAILED, State.UPLOADED)


@pytest.mark.django_db
@pytest.mark.parametrize("make", sorted(BOMBS))
def test_the_command_line_refuses_each_bomb_with_one_line(make, tmp_path, settings):
    build, words = BOMBS[make]
    path = build(tmp_path, settings)
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("import_roster", str(path))
    assert words in str(refused.value)
    assert "\n" not in str(refused.value).strip()
    assert Employer.objects.count() == 0


@pytest.mark.django_db
def test_a_far_away_stray_cell_imports_the_real_rows(client_admin, tmp_path, unit_lqz):
    path = bombs.far_cell(tmp_path / "stray.xlsx")
    client_admin.post(
        "/imports/roster/new/", {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    batch = ImportBatch.objects.get()
    assert batch.state == State.PREVIEWED
    assert batch.rejected + batch.created == 1
