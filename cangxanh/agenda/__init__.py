"""The leaders' work calendar (issue 12): a week of engagements per page, per leader
and for all, and the same engagements as iCalendar for calendar programs.

`weeks` reads and labels the ISO weeks the page is addressed by; `ics` writes the
.ics feeds. Both are pure: they take plain values and never touch the database.
"""
