"""The roles and the unread count in every page's header are cached, and a change is seen on the next request."""

import pytest
from django.db import transaction
from django.urls import reverse

from core.models import Notification
from core.notifications import notification_mark_read, notifications_mark_all_read, notify, notify_many
from schools.models import Membership, Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _nav(client) -> str:
    return client.get(reverse("inbox")).content.decode()


def test_a_second_role_shows_in_the_navigation_on_the_next_request(school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school)
    client = client_for(principal)
    assert "Review queue" not in _nav(client)
    assert "Review queue" not in _nav(client)  # now answered from the cache
    MembershipFactory(user=principal, role=Role.REVIEWER, function="finance")
    assert "Review queue" in _nav(client)
    assert client.get(reverse("autonomy:review_queue")).status_code == 200


def test_a_removed_role_is_gone_on_the_next_request(school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school)
    client = client_for(principal)
    url = reverse("autonomy:school_detail", args=[school.code])
    assert client.get(url).status_code == 200
    Membership.objects.get(user=principal).delete()
    assert client.get(url).status_code == 404


def test_becoming_a_superuser_is_seen_on_the_next_request(make_member, client_for):
    user = make_member(Role.LIAISON)
    client = client_for(user)
    assert "Review queue" not in _nav(client)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    assert "Review queue" in _nav(client)
    user.is_superuser = False
    user.save(update_fields=["is_superuser"])
    assert "Review queue" not in _nav(client)


def _badge(client) -> str | None:
    page = _nav(client)
    marker = '<span class="badge">'
    if marker not in page:
        return None
    return page.split(marker, 1)[1].split("<", 1)[0]


def test_a_new_notification_shows_in_the_badge_and_reading_clears_it(make_member, client_for):
    user = make_member(Role.LIAISON)
    client = client_for(user)
    assert _badge(client) is None
    assert _badge(client) is None  # cached
    notify(users=[user], key="one", title="One")
    assert _badge(client) == "1"
    notify_many([([user], "two", "Two", "", ""), ([user], "three", "Three", "", "")])
    assert _badge(client) == "3"
    notification_mark_read(user=user, notification_id=Notification.objects.get(key="one").pk)
    assert _badge(client) == "2"
    notifications_mark_all_read(user=user)
    assert _badge(client) is None


def test_the_inbox_buttons_clear_the_badge(make_member, client_for):
    user = make_member(Role.LIAISON)
    client = client_for(user)
    notify(users=[user], key="one", title="One")
    notify(users=[user], key="two", title="Two")
    assert _badge(client) == "2"
    one = Notification.objects.get(key="one")
    client.post(reverse("inbox_mark_read"), {"notification": one.pk})
    assert _badge(client) == "1"
    client.post(reverse("inbox_mark_read"))
    assert _badge(client) is None


def test_a_notification_saved_or_deleted_directly_updates_the_badge(make_member, client_for):
    user = make_member(Role.LIAISON)
    client = client_for(user)
    assert _badge(client) is None
    note = Notification.objects.create(user=user, key="admin", title="From the admin")
    assert _badge(client) == "1"
    note.delete()
    assert _badge(client) is None


def test_a_rolled_back_notification_leaves_no_count_behind(make_member, client_for):
    user = make_member(Role.LIAISON)
    client = client_for(user)
    assert _badge(client) is None
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(users=[user], key="dry-run", title="Would be sent")
        raise RuntimeError("dry run")
    assert _badge(client) is None


def test_a_warm_page_reads_only_the_user_and_its_own_rows(make_member, client_for, django_assert_num_queries):
    user = make_member(Role.LIAISON)
    client = client_for(user)
    # the first page after login: user, memberships, departments, the inbox rows, unread count (the session
    # is cached)
    with django_assert_num_queries(5):
        client.get(reverse("inbox"))
    # then: user, the inbox rows
    with django_assert_num_queries(2):
        client.get(reverse("inbox"))
