"""Progress attachments are downloaded through a permission-checked view, never as public media,
and only within the user's scope (CONTRACT.md 1.1)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cooperation.services import set_scope
from projects.models import ProgressAttachment
from tests.factories import PairingFactory
from tests.projects.factories import ProgressReportFactory, ProjectFactory


@pytest.fixture
def attachment(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path
    report = ProgressReportFactory()
    return ProgressAttachment.objects.create(
        report=report, title="验收单", file=SimpleUploadedFile("acceptance.pdf", b"%PDF-1.4 demo")
    )


def test_the_link_is_the_download_view(attachment):
    assert attachment.file.url.startswith("/projects/attachments/projects/progress/")


@pytest.mark.parametrize("role, status", [(None, 401), ("norole", 403), ("official", 200), ("api", 200)])
def test_download_per_role(attachment, api_client_for, make_user, role, status):
    client = api_client_for(user=make_user(None)) if role == "norole" else api_client_for(role)
    response = client.get(attachment.file.url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"
        assert "attachment" in response["Content-Disposition"]


def test_the_api_and_the_admin_link_to_it(attachment, api_client_for, client, make_user):
    body = api_client_for("official").get(f"/api/v1/progress-reports/{attachment.report_id}/").json()
    assert body["attachments"][0]["file"].endswith(attachment.file.url)
    client.force_login(make_user("staff"))
    page = client.get(f"/admin/projects/progressreport/{attachment.report_id}/change/").content.decode()
    assert f'href="{attachment.file.url}"' in page


def test_an_unknown_file_is_404(attachment, api_client_for):
    assert api_client_for("official").get("/projects/attachments/projects/progress/none.pdf").status_code == 404


@pytest.mark.parametrize("path", ["a%00b", "projects/progress/none%00.pdf", "%00"])
def test_a_nul_in_the_name_is_404(attachment, api_client_for, path):
    response = api_client_for("official").get(f"/projects/attachments/{path}")
    assert response.status_code == 404


def test_the_view_itself_refuses_a_nul(attachment, rf, make_user):
    from rest_framework.test import force_authenticate

    from projects.views import attachment_download

    request = rf.get("/projects/attachments/x")
    force_authenticate(request, user=make_user("official"))
    assert attachment_download(request, name="a\x00b").status_code == 404


@pytest.fixture
def attachments(settings, tmp_path, regions):
    """An attachment of a Zhaojue project (in its village) and one of a Butuo project."""
    settings.MEDIA_ROOT = tmp_path
    made = {}
    for key in ("village", "butuo"):
        report = ProgressReportFactory(project=ProjectFactory(region=regions[key]))
        made[key] = ProgressAttachment.objects.create(
            report=report, file=SimpleUploadedFile(f"{key}.pdf", f"%PDF-1.4 {key}".encode())
        )
    return made


@pytest.mark.parametrize(
    "codes, readable",
    [
        ([], {"village", "butuo"}),  # unscoped: the whole programme, as before scopes
        (["513431"], {"village"}),  # Zhaojue's staff: the project in its village
        (["513400"], {"village", "butuo"}),  # the prefecture: both counties
        (["513429"], {"butuo"}),
        (["330281"], set()),  # Yuyao, paired with no county here
    ],
)
def test_download_follows_the_scope(attachments, api_client_for, make_user, codes, readable):
    user = make_user("official")
    set_scope(user=user, codes=codes)
    client = api_client_for(user=user)
    for key, attachment in attachments.items():
        response = client.get(attachment.file.url)
        assert response.status_code == (200 if key in readable else 404), key
        if key in readable:
            assert b"".join(response.streaming_content) == f"%PDF-1.4 {key}".encode()


def test_a_pairing_brings_the_paired_countys_attachments(attachments, api_client_for, make_user, regions):
    PairingFactory(east_region=regions["yuyao"], west_region=regions["zhaojue"])
    user = make_user("official")
    set_scope(user=user, codes=["330281"])
    client = api_client_for(user=user)
    assert client.get(attachments["village"].file.url).status_code == 200
    assert client.get(attachments["butuo"].file.url).status_code == 404
