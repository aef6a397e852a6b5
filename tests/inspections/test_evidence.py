import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import EvidenceFile
from tests.factories import CaseFactory, PatrolFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


def _upload(client, patrol, name, content, content_type="application/octet-stream"):
    return client.post(
        reverse("inspections:patrol_evidence", kwargs={"pk": patrol.pk}),
        {
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "description": "现场照片",
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "stored_type"),
    [
        ("现场.jpg", JPEG, "image/jpeg"),
        ("IMG_1.PNG", PNG, "image/png"),
        ("决定书.pdf", PDF, "application/pdf"),
    ],
)
def test_allowed_files_are_stored_outside_static(
    client_lqz, employer_lqz, settings, name, content, stored_type
):
    patrol = PatrolFactory(employer=employer_lqz)
    response = _upload(client_lqz, patrol, name, content)
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.content_type == stored_type
    assert evidence.original_name == name
    path = evidence.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert name not in path  # stored under a random name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"<html><script>alert(1)</script></html>"),  # content is not a JPEG
        ("virus.exe", b"MZ\x90\x00"),
        ("notes.txt", b"hello"),
        ("scan.pdf", PNG),
    ],
)
def test_wrong_types_are_refused_saying_what_is_allowed(client_lqz, employer_lqz, name, content):
    patrol = PatrolFactory(employer=employer_lqz)
    response = _upload(client_lqz, patrol, name, content)
    assert not EvidenceFile.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("JPG, PNG, PDF" in m for m in messages)


def test_size_limit(client_lqz, employer_lqz, monkeypatch):
    from inspections import uploads

    monkeypatch.setattr(uploads, "EVIDENCE_MAX_BYTES", 100)
    patrol = PatrolFactory(employer=employer_lqz)
    _upload(client_lqz, patrol, "big.png", PNG + b"\x00" * 200)
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    ("client_name", "status"),
    [
        ("client_lqz", 200),
        ("client_ylq", 404),
        ("client_supervisor", 200),
        ("client_admin", 200),
        ("client_nobody", 404),
    ],
)
def test_download_only_for_those_who_see_the_employer(
    request, client_lqz, employer_lqz, client_name, status
):
    case = CaseFactory(employer=employer_lqz)
    client_lqz.post(
        reverse("inspections:case_evidence", kwargs={"pk": case.pk}),
        {"file": SimpleUploadedFile("a.png", PNG)},
    )
    evidence = EvidenceFile.objects.get()
    response = request.getfixturevalue(client_name).get(evidence.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PNG


def test_others_cannot_upload(client_ylq, client_supervisor, employer_lqz):
    patrol = PatrolFactory(employer=employer_lqz)
    assert _upload(client_ylq, patrol, "a.png", PNG).status_code == 404
    assert _upload(client_supervisor, patrol, "a.png", PNG).status_code == 404
    assert not EvidenceFile.objects.exists()
