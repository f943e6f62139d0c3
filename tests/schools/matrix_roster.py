"""The roster import and first setup pages in the authorization matrix: {url name: Page} in the vocabulary
of tests/matrix_kit.py.

Only the autonomy office imports the roster, sets its mapping and sets the district up; anyone else is told
there is no such page (404), and a visitor who is not signed in is sent to sign in. The one upload the
detail and apply pages ask about is added to the world on first use."""

from schools.roster.models import RosterImport, RosterImportStatus
from tests.matrix_kit import ADMIN_ONLY, Page, login_or


def roster_import_pk(world, own):
    """A checked upload (the office's to apply); the same for own and other: it belongs to no school."""
    if "roster_import" not in world:
        world["roster_import"] = RosterImport.objects.create(
            file_name="roster.zip", data=b"", status=RosterImportStatus.CHECKED
        )
    return {"pk": world["roster_import"].pk}


PAGES = {
    "schools:roster_import": Page(ADMIN_ONLY),
    "schools:roster_import_detail": Page(ADMIN_ONLY, kwargs=roster_import_pk),
    # The admin is asked last: applying sends them back to the upload's page to follow it.
    "schools:roster_import_apply": Page(login_or(others=404, admin=302), kwargs=roster_import_pk, method="post"),
    "schools:roster_mapping": Page(
        login_or(others=404, admin=302), method="post", data={"administrator": "principal", "teacher": "ignore"}
    ),
    "schools:first_setup": Page(ADMIN_ONLY),
    "schools:first_setup_district": Page(
        login_or(others=404, admin=302), method="post", data={"name": "Matrix District", "time_zone": "America/Chicago"}
    ),
    "schools:first_setup_school_year": Page(
        login_or(others=404, admin=302),
        method="post",
        data={"label": "2031-32", "start_date": "2031-07-01", "end_date": "2032-06-30", "first_day": "2031-08-18"},
    ),
    "schools:first_setup_confirm": Page(
        login_or(others=404, admin=302), kwargs=lambda world, own: {"key": "autonomy_catalog"}, method="post"
    ),
}
