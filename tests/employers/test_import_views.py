"""Roster import in the browser: upload, preview, confirm, report, history; every role."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from employers.models import Employer
from imports.models import ImportBatch
from tests.workbooks import xlsx_rows

LQZ_FILE = "李七庄街_用人单位花名册_2026年10月.xlsx"


def _upload(client: Client, path: Path, name: str | None = None):
    upload = SimpleUploadedFile(name or path.name, path.read_bytes())
    return client.post("/imports/roster/new/", {"file": upload})


@pytest.mark.django_db
def test_admin_uploads_previews_confirms_and_downloads(client_admin, fixture_path, admin_user):
    response = _upload(client_admin, fixture_path / LQZ_FILE)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{batch.pk}/"
    assert batch.state == ImportBatch.State.PREVIEWED
    assert Path(batch.upload.path).is_relative_to(Path(settings.MEDIA_ROOT))
    assert Employer.objects.count() == 0  # nothing written before confirming

    preview = client_admin.get(f"/imports/{batch.pk}/").content.decode()
    assert 'data-testid="count-created">74<' in preview
    assert 'data-testid="count-rejected">6<' in preview
    assert "南开区" in preview and "外资代表处" in preview
    assert "确认导入" in preview

    response = client_admin.post(f"/imports/{batch.pk}/confirm/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE
    assert batch.summary == "created=74 updated=0 unchanged=0 rejected=6"
    assert batch.user == admin_user
    assert Employer.objects.count() == 74
    result = client_admin.get(f"/imports/{batch.pk}/").content.decode()
    assert "导入结果" in result and "确认导入" not in result

    report = client_admin.get(f"/imports/{batch.pk}/report.xlsx")
    assert report.status_code == 200
    rows = xlsx_rows(report)
    assert [r[-1] for r in rows[1:]] == [10, 19, 37, 45, 51, 56]
    assert rows[0][-2] == "错误原因"


@pytest.mark.django_db
def test_confirming_twice_imports_once(client_admin, fixture_path):
    _upload(client_admin, fixture_path / "杨柳青镇_用人单位名单.xls")
    batch = ImportBatch.objects.get()
    client_admin.post(f"/imports/{batch.pk}/confirm/")
    response = client_admin.post(f"/imports/{batch.pk}/confirm/", follow=True)
    assert "已经确认" in response.content.decode()
    assert Employer.objects.count() == 50
    assert ImportBatch.objects.get().created == 50


@pytest.mark.django_db
def test_second_upload_previews_unchanged(client_admin, fixture_path):
    _upload(client_admin, fixture_path / "精武镇_用人单位.csv")
    first = ImportBatch.objects.get()
    client_admin.post(f"/imports/{first.pk}/confirm/")
    _upload(client_admin, fixture_path / "精武镇_用人单位.csv")
    second = ImportBatch.objects.exclude(pk=first.pk).get()
    assert second.summary == "created=0 updated=0 unchanged=40 rejected=0"
    assert not second.report


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not a roster", "roster.pdf", "不是电子表格"),
        (b"PK\x03\x04truncated", "roster.xlsx", "损坏或不完整"),
        (b"<html><body>export</body></html>", "roster.xls", "网页格式"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64,
            "roster.xlsx",
            "密码",
        ),
        ("名单\n甲\n".encode("gb18030"), "roster.csv", "找不到表头"),
    ],
)
def test_bad_files_are_refused_in_chinese(client_admin, content, name, message):
    upload = SimpleUploadedFile(name, content)
    response = client_admin.post("/imports/roster/new/", {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Employer.objects.count() == 0
    assert not ImportBatch.objects.filter(state=ImportBatch.State.PREVIEWED).exists()


@pytest.mark.django_db
def test_size_limit(client_admin, fixture_path, settings):
    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 1000
    response = _upload(client_admin, fixture_path / LQZ_FILE)
    assert "超过上限" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_non_admins_cannot_use_imports(client_lqz, client_supervisor, fixture_path, admin_user):
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.ROSTER, file_name="x.xlsx")
    for client in (client_lqz, client_supervisor):
        assert client.get("/imports/").status_code == 403
        assert client.get("/imports/roster/new/").status_code == 403
        assert _upload(client, fixture_path / LQZ_FILE).status_code == 403
        assert client.get(f"/imports/{batch.pk}/").status_code == 403
        assert client.post(f"/imports/{batch.pk}/confirm/").status_code == 403
        assert client.get(f"/imports/{batch.pk}/report.xlsx").status_code == 403
    anonymous = Client()
    assert anonymous.get("/imports/").status_code == 302
    assert anonymous.get(f"/imports/{batch.pk}/report.xlsx").status_code == 302
    assert Employer.objects.count() == 0
    assert ImportBatch.objects.count() == 1


@pytest.mark.django_db
def test_report_of_another_batch_only_for_admins(client_admin, client_lqz, fixture_path):
    _upload(client_admin, fixture_path / LQZ_FILE)
    batch = ImportBatch.objects.get()
    assert client_admin.get(f"/imports/{batch.pk}/report.xlsx").status_code == 200
    assert client_lqz.get(f"/imports/{batch.pk}/report.xlsx").status_code == 403
    assert client_admin.get("/imports/999999/report.xlsx").status_code == 404


@pytest.mark.django_db
def test_import_history_lists_batches(client_admin, fixture_path, django_assert_max_num_queries):
    for _ in range(3):
        _upload(client_admin, fixture_path / "精武镇_用人单位.csv")
    with django_assert_max_num_queries(8):
        page = client_admin.get("/imports/")
    assert page.status_code == 200
    assert page.content.decode().count("精武镇_用人单位.csv") == 3


@pytest.mark.django_db
def test_nav_shows_imports_only_to_admins(client_admin, client_supervisor):
    assert 'href="/imports/"' in client_admin.get("/employers/").content.decode()
    assert 'href="/imports/"' not in client_supervisor.get("/employers/").content.decode()


@pytest.mark.django_db
def test_confirm_is_post_only(client_admin, fixture_path):
    _upload(client_admin, fixture_path / LQZ_FILE)
    batch = ImportBatch.objects.get()
    assert client_admin.get(f"/imports/{batch.pk}/confirm/").status_code == 405
    assert Employer.objects.count() == 0
