"""What strangers send the portal: questions and comments on consultations.

Nothing here is ever shown before a person has read it. `spam` screens a
message's words and sets aside (quarantines) what looks like the gambling,
link and markup spam that defaced state sites, for a person to release or
refuse; `defences` holds the form's own protections (a honeypot, a fill-time
token and a proof of work) without any third-party service.
"""
