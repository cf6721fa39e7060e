"""Questions and answers (issue 12): people ask, the office answers within 15 working days.

Pure functions: the tracking codes (`codes.py`), the working-day answer clock
(`clock.py`), the personal-data suggestions (`redact.py`). The models keep the
questions, their topics, the administrators' working-day calendar and the
e-mails to askers; `services` holds every write; `kind` makes a published
answer an article of kind "answer"; the public pages are `views` (ask, track,
the answers), the newsroom's queue lives in editorial.question_views.
"""
