"""The planning calendar as an iCalendar file (RFC 5545), written with the `icalendar` package.

Every entry is an all-day event: DTSTART;VALUE=DATE its first day and DTEND the day after its last, as the
RFC makes an all-day end exclusive (a span of Mar 1 – Mar 5 ends on Mar 6). A date carries no time, so no
time zone applies to it; the district's zone is named for the calendar (X-WR-TIMEZONE) so an app that shows
"today" shows the district's. UIDs are made from the row each entry comes from and the site's host, so a
calendar app that fetches the feed again updates an event rather than adding a second copy.
"""

import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from support.selectors.calendar import CalendarEntry

PRODUCT_ID = "-//SGS Portal//District planning calendar//EN"
REFRESH = datetime.timedelta(hours=12)  # how often calendar apps that honour it fetch the feed again


def entry_uid(entry: CalendarEntry, *, host: str) -> str:
    return f"{entry.key}@{host}"


def _description(entry: CalendarEntry, page_url: str) -> str:
    parts = [entry.description] if entry.description else []
    parts.append(f"{entry.kind_label}. {entry.source_words}.")
    parts.append(f"The district planning calendar: {page_url}")
    return "\n\n".join(parts)


def calendar_ics(*, entries: list[CalendarEntry], name: str, page_url: str, host: str, time_zone: ZoneInfo) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(time_zone))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")  # the same, for Outlook (an X- property: written as text)
    for entry in entries:
        event = Event()
        event.add("uid", entry_uid(entry, host=host))
        # In a published calendar DTSTAMP is when the event last changed (RFC 5545, 3.8.7.2), in UTC.
        changed = entry.changed_at.astimezone(datetime.UTC)
        event.add("dtstamp", changed)
        event.add("last-modified", changed)
        event.add("dtstart", entry.on)
        event.add("dtend", entry.last_day + datetime.timedelta(days=1))
        event.add("summary", entry.title)
        event.add("description", _description(entry, page_url))
        event.add("categories", [entry.kind_label])
        event.add("url", page_url)
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy all day
        calendar.add_component(event)
    return calendar.to_ical()
