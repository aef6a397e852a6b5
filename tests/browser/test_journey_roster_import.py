"""An admin imports the 李七庄 roster through the browser and gets the rejected rows back."""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from employers.models import Employer
from imports.models import ImportBatch

from .journey import open_as

SAMPLE = Path(__file__).parent.parent / "fixtures" / "李七庄街_用人单位花名册_2026年10月.xlsx"


@pytest.mark.django_db(transaction=True)
def test_admin_imports_roster_and_downloads_rejected_rows(page, live_server, admin_user, tmp_path):
    open_as(page, live_server, admin_user.username, "/imports/")
    page.get_by_role("link", name="导入花名册").click()
    page.set_input_files("input[type=file]", str(SAMPLE))
    page.get_by_test_id("upload-button").click()
    page.wait_for_load_state()

    # Preview: counts and the rejected rows with their reasons; nothing written yet.
    assert page.get_by_test_id("count-created").inner_text() == "74"
    assert page.get_by_test_id("count-rejected").inner_text() == "6"
    rejections = page.get_by_test_id("rejections")
    assert "南开区" in rejections.inner_text()
    assert "外资代表处" in rejections.inner_text()
    assert Employer.objects.count() == 0

    page.get_by_test_id("confirm-import").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("count-created").inner_text() == "74"
    assert "已导入" in page.get_by_test_id("batch-status").inner_text()
    assert Employer.objects.count() == 74
    assert ImportBatch.objects.get().state == ImportBatch.State.DONE

    with page.expect_download() as download_info:
        page.get_by_test_id("download-report").click()
    target = tmp_path / "rejected.xlsx"
    download_info.value.save_as(target)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert [row[-1] for row in rows[1:]] == [10, 19, 37, 45, 51, 56]
