"""The calendar pages, and the private feed a calendar app fetches without signing in."""

from django.urls import path

from support.views import calendar

urlpatterns = [
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/address/", calendar.calendar_feed_make, name="calendar_feed_make"),
    path("calendar/address/replace/", calendar.calendar_feed_replace_view, name="calendar_feed_replace"),
    # The token is secrets.token_urlsafe's alphabet, which is a slug's.
    path("calendar/feed/<slug:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("calendar/milestones/new/", calendar.milestone_create_view, name="milestone_create"),
    path("calendar/milestones/<int:pk>/edit/", calendar.milestone_edit, name="milestone_edit"),
    path("calendar/milestones/<int:pk>/delete/", calendar.milestone_delete_view, name="milestone_delete"),
]
