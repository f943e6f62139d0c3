"""The roster import page: upload a .zip, the dry run shown, then applied on request; refusals listed by
file and line; the mapping saved; everyone but the autonomy office answered 404."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.models import Membership, School
from schools.roster.models import RosterImport, RosterImportStatus, RosterRoleMapping
from tests.factories import MembershipFactory, UserFactory
from tests.schools.roster_sets import replaced, sample, zipped

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.schools.roster_urls")]
User = get_user_model()


@pytest.fixture
def office(client_for):
    return client_for(MembershipFactory(role="admin", user=UserFactory(first_name="Ola", last_name="Office")).user)


def upload(client, files, *, name="roster.zip", capture):
    with capture(execute=True):
        return client.post(reverse("schools:roster_import"), {"file": SimpleUploadedFile(name, zipped(files))})


def test_a_file_is_checked_first_and_applied_only_on_request(office, django_capture_on_commit_callbacks):
    assert office.get(reverse("schools:roster_import")).status_code == 200
    response = upload(office, sample("1.1"), capture=django_capture_on_commit_callbacks)
    run = RosterImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "schools:roster_import_detail", args=[run.pk]
    )
    assert run.status == RosterImportStatus.CHECKED and School.objects.count() == 0 and User.objects.count() == 1
    page = office.get(response["Location"]).content.decode()
    assert "What importing would change" in page and "Lincoln Elementary School" in page
    assert "Apply these 10 changes" in page  # the district, 3 schools, 3 accounts, 3 roles
    with django_capture_on_commit_callbacks(execute=True):
        applied = office.post(reverse("schools:roster_import_apply", args=[run.pk]))
    assert applied.status_code == 302
    run.refresh_from_db()
    assert run.status == RosterImportStatus.APPLIED and run.data == b""
    assert School.objects.count() == 3 and Membership.objects.filter(source="roster").count() == 3
    page = office.get(applied["Location"]).content.decode()
    assert "These are the changes made" in page and "Apply these" not in page
    # The apply ran after the response (as a worker would): the message said it was under way.
    assert "The changes are being applied. This page follows them." in page
    again = office.post(reverse("schools:roster_import_apply", args=[run.pk]))
    assert again.status_code == 409 and "only a checked upload is applied" in again.content.decode()


def test_a_refused_file_lists_each_problem_with_its_file_and_line(office, django_capture_on_commit_callbacks):
    files = replaced(sample("1.1"), "users.csv", "u-004,,,true", "u-004,,,yes")
    response = upload(
        office,
        replaced(files, "orgs.csv", ",school,S102,", ",campus,S102,"),
        capture=django_capture_on_commit_callbacks,
    )
    page = office.get(response["Location"]).content.decode()
    assert "Nothing was imported from roster.zip" in page and "2 problems stop the import" in page
    assert '<th scope="row"><code>orgs.csv</code></th><td class="num">4</td><td>type is &#x27;campus&#x27;' in page
    assert "enabledUser is &#x27;yes&#x27;" in page
    assert RosterImport.objects.get().status == RosterImportStatus.REFUSED and School.objects.count() == 0


def test_a_plan_that_changed_since_the_check_is_not_applied(office, django_capture_on_commit_callbacks):
    upload(office, sample("1.1"), capture=django_capture_on_commit_callbacks)
    run = RosterImport.objects.get()
    RosterRoleMapping.objects.filter(oneroster_role="teacher").update(portal_role="school_team")
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("schools:roster_import_apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RosterImportStatus.STALE and School.objects.count() == 0
    assert (
        "The portal changed since these files were checked"
        in office.get(reverse("schools:roster_import_detail", args=[run.pk])).content.decode()
    )


def test_the_form_refuses_what_is_not_a_zip(office):
    response = office.post(reverse("schools:roster_import"), {"file": SimpleUploadedFile("users.csv", b"a,b\n")})
    assert response.status_code == 400 and "Choose a .zip file" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_the_office_sets_the_mapping(office):
    data = {"teacher": "school_team", "proctor": "ignore", "administrator": "", "aide": "ignore"}
    response = office.post(reverse("schools:roster_mapping"), data)
    assert response.status_code == 302
    mapping = dict(RosterRoleMapping.objects.values_list("oneroster_role", "portal_role"))
    assert mapping["teacher"] == "school_team" and mapping["proctor"] == "ignore" and "administrator" not in mapping
    assert office.post(reverse("schools:roster_mapping"), {"teacher": "boss"}).status_code == 400


def test_the_page_updates_itself_while_it_works(office):
    run = RosterImport.objects.create(file_name="big.zip", data=b"", status=RosterImportStatus.CHECKING)
    page = office.get(reverse("schools:roster_import_detail", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page and "<html" not in page


@pytest.mark.parametrize("role", ["principal", "school_team", "liaison", "viewer"])
def test_anyone_but_the_office_finds_no_such_page(role, client_for, school):
    user = MembershipFactory(role=role, school=school if role in ("principal", "school_team") else None).user
    client = client_for(user)
    run = RosterImport.objects.create(file_name="r.zip", data=b"", status=RosterImportStatus.CHECKED)
    assert client.get(reverse("schools:roster_import")).status_code == 404
    assert client.get(reverse("schools:roster_import_detail", args=[run.pk])).status_code == 404
    assert client.post(reverse("schools:roster_import_apply", args=[run.pk])).status_code == 404
    assert client.post(reverse("schools:roster_mapping"), {}).status_code == 404


def test_an_unexpected_error_ends_the_wait_and_says_nothing_changed(office, monkeypatch):
    from schools.roster import imports

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "roster_import_files", broken)
    run = RosterImport.objects.create(file_name="r.zip", data=zipped(sample("1.1")), status=RosterImportStatus.CHECKING)
    with pytest.raises(RuntimeError):
        imports.roster_import_check(import_id=run.pk)
    run.refresh_from_db()
    assert run.status == RosterImportStatus.FAILED and not run.working
    page = office.get(reverse("schools:roster_import_detail", args=[run.pk])).content.decode()
    assert "stopped on an unexpected error and nothing was changed" in page and "every 2s" not in page


def test_the_tasks_are_idempotent(office):
    from schools.tasks import roster_import_apply_task, roster_import_check_task

    run = RosterImport.objects.create(file_name="r.zip", data=zipped(sample("1.1")), status=RosterImportStatus.CHECKING)
    assert roster_import_check_task(run.pk) == "checked"
    assert roster_import_check_task(run.pk) == "checked"  # a redelivered check does nothing more
    RosterImport.objects.filter(pk=run.pk).update(status=RosterImportStatus.APPLYING)
    assert roster_import_apply_task(run.pk) == "applied"
    users = User.objects.count()
    assert roster_import_apply_task(run.pk) == "applied" and User.objects.count() == users  # nor a redelivered apply
