"""What the law asks of the agency's pages, for the compliance page (issue 12).

Decree 42/2022/NĐ-CP asks a state agency's portal to introduce the agency in
English too: its functions and tasks, its structure, its leaders and its contacts.
"""

from . import queries
from .models import Key

REQUIRED = [Key.FUNCTIONS.value, Key.STRUCTURE.value, Key.LEADERS.value, Key.CONTACT.value]


def english_missing() -> list[str]:
    """The keys of the required agency pages that have no public English translation
    (none of them at all counts as missing), in the order of `REQUIRED`."""
    return queries.english_missing(REQUIRED)
