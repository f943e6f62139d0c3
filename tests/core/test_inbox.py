"""Marking notifications read: one by its id, all when none is named, and nothing for an id that is not one."""

import pytest
from django.urls import reverse

from core.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("inbox_mark_read")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def notes(user):
    return [Notification.objects.create(user=user, key=f"k{n}", title=f"Note {n}") for n in range(3)]


def _unread(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def test_one_notification_is_marked_read_by_its_id(user, notes, client_for):
    response = client_for(user).post(URL, {"notification": notes[1].pk})
    assert response.status_code == 302
    assert list(Notification.objects.filter(read_at__isnull=False)) == [notes[1]]


def test_no_id_marks_them_all_read(user, notes, client_for):
    assert client_for(user).post(URL).status_code == 302
    assert _unread(user) == 0


@pytest.mark.parametrize("bad", ["-1", "abc", "²", "٣", "３", "", " 1", "1.0", "1" * 40, "\x00"])
def test_a_bad_id_is_a_400_and_marks_nothing(user, notes, client_for, bad):
    response = client_for(user).post(URL, {"notification": bad})
    assert response.status_code == 400
    assert "nothing was marked read" in response.content.decode()
    assert _unread(user) == 3


def test_somebody_elses_notification_stays_unread(user, notes, client_for):
    client_for(UserFactory()).post(URL, {"notification": notes[0].pk})
    assert _unread(user) == 3
