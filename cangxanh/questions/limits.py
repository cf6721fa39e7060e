"""How often one client may ask, look a question up, or have a code e-mailed.

Counted per client by the inbox's limits (inbox.limits: a shared tally, an IPv6
client as its /64 network). Over a limit the form comes back with what was typed,
answered 429 with Retry-After.

Besides, one mailbox gets at most MAIL_PER_DAY tracking codes a day (`mailbox_key`:
the spellings of one address, "+tags" and Gmail's dots count as one), so the form
cannot be used to flood someone's mailbox: further questions are kept and show
their code on screen, without another e-mail.
"""

from cangxanh.core import tally
from cangxanh.inbox.limits import SLOTS, client_key, rate, wait

__all__ = [
    "MAIL_PER_DAY",
    "ask_wait",
    "client_key",
    "mail_allowed",
    "mailbox_key",
    "rate",
    "track_wait",
]

MAIL_PER_DAY = 3


def ask_wait(meta) -> float | None:
    """Seconds before this client may send another question; None: it may now."""
    return wait("questions-ask", "QUESTIONS_RATE", meta)


def track_wait(meta) -> float | None:
    """Seconds before this client may look a question up again; None: it may now."""
    return wait("questions-track", "QUESTIONS_TRACK_RATE", meta)


_GMAIL = frozenset({"gmail.com", "googlemail.com"})


def mailbox_key(email: str) -> str:
    """The mailbox an address delivers to, as far as one can tell from outside: case
    folded, without a "+tag" (a+1@… and a+2@… reach a@…), and for Gmail without dots.
    The form has already spelled the domain one way (forms.AddressField)."""
    local, _at, domain = email.strip().casefold().rpartition("@")
    local = local.split("+", 1)[0] or local
    if domain in _GMAIL:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def mail_allowed(email: str) -> bool:
    """Whether another tracking code may be e-mailed to `email` today."""
    hits, _left = tally.of("questions-mail", SLOTS).hit(mailbox_key(email).encode(), 86400)
    return hits <= MAIL_PER_DAY
