"""Consultations on draft documents: the draft's text by paragraph, and the comments on it.

A draft is an article of its own kind (`kind.py`, `models.ConsultationFacts`: when
comments open and close, the draft document); its body carries a stable anchor on
each paragraph (`anchors.py`), so a comment keeps pointing at its paragraph when a
new version of the draft is saved. Comments (`models.Comment`, an
`inbox.Submission`) are taken by `views.comment` behind the public forms'
defences, moderated in the newsroom (`moderation.py`, `editorial.consultations`)
and counted in the summary published after closing.
"""
