"""The public forms' own defences, without any third-party script or service.

Three checks, each cheap for a person and costly or revealing for a script:

- a honeypot: a text field people never see (`HONEYPOT_FIELD`, with
  `tabindex="-1"` and `autocomplete="off"`, inside an element hidden by the
  `hidden` attribute or a stylesheet's class: the CSP allows no style
  attribute); scripts that fill every field fill it too. A filled
  one is dropped silently: the caller answers as if the message had been
  received, and keeps nothing (`honeypot_filled`);
- a fill-time token (`issue_form_token`, `check_form_token`): signed with
  Django's `TimestampSigner`, it carries when the form was served; sent back
  within `MIN_SECONDS` it is too fast for a person, after `MAX_AGE` it has
  expired (the person is asked to send again and keeps what they wrote);
- a proof of work (ALTCHA, verified by the `altcha` library): the browser
  fetches a signed challenge (`new_challenge`, served by a view with
  `Cache-Control: no-store`), finds the counter that gives the challenge's
  key with PBKDF2/SHA-256 (static/cangxanh/altcha-solver.js: WebCrypto in a
  Web Worker, about half a second on a phone) and sends the payload in
  `PROOF_FIELD`; `verify` checks it and refuses a payload used twice. Without
  JavaScript there is no proof: the message is quarantined ("no_proof"), not
  refused.

`FormDefence.check` ties them together into a `Verdict`: drop silently (a
filled honeypot, a proof used before), show the form again with an error (it
expired), or keep the message, quarantined for the reasons found (too fast, no
or a bad token, no or a bad proof). The template never writes
a value into `PROOF_FIELD` (the solver fills it; an echoed proof would be a
replay), and a re-rendered form keeps its token (`FormDefence.hidden_values`).
"""

import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import signing
from django.forms.utils import flatatt
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cangxanh.core import tally

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"
PROOF_FIELD = "altcha"

# Reason codes added to a message's quarantine reasons (besides spam.REASONS).
NO_PROOF = "no_proof"  # sent without the proof of work: no JavaScript, or a script
BAD_PROOF = "bad_proof"  # a proof that does not verify: forged or broken
TOO_FAST = "too_fast"  # sent sooner after the form was served than a person can
BAD_TOKEN = "bad_token"  # the form's token is missing or forged
INCOMPLETE_FORM = "incomplete_form"  # the honeypot field is not there at all

HONEYPOT_LABEL = _("Leave this field empty")
EXPIRED_MESSAGE = _(
    "This form was open for a long time and its security check has expired. "
    "Please check what you wrote and send it again."
)
# What the solver's status line says, given to it in data- attributes.
SOLVER_TEXTS = {
    "working": _("Checking that this is sent by a person… You can go on writing."),
    "done": _("Check done: ready to send."),
    "failed": _(
        "The automatic check could not run in this browser. You can still send: "
        "your message will be read by a person first."
    ),
}

# --- honeypot -----------------------------------------------------------------


def honeypot_filled(data: Mapping[str, str]) -> bool:
    """True when the hidden field was filled: spam, to be dropped silently (answer
    as if received, keep nothing)."""
    return bool((data.get(HONEYPOT_FIELD) or "").strip())


# --- fill-time token -------------------------------------------------------------

TOKEN_SALT = "cangxanh.inbox.form"
MIN_SECONDS = 3
MAX_AGE = timedelta(hours=2)
MAX_TOKEN_CHARS = 200

TOKEN_OK = "ok"
TOKEN_TOO_FAST = "too_fast"
TOKEN_EXPIRED = "expired"
TOKEN_BAD = "bad"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=TOKEN_SALT)


def issue_form_token(form: str = "inbox") -> str:
    """A token for `form` (a name without colons) that says when it was served."""
    return _signer().sign(form)


def check_form_token(
    token: str | None,
    *,
    form: str = "inbox",
    min_seconds: float = MIN_SECONDS,
    max_age: timedelta = MAX_AGE,
) -> str:
    """TOKEN_OK, TOKEN_TOO_FAST (sent back sooner than `min_seconds`), TOKEN_EXPIRED
    (older than `max_age`) or TOKEN_BAD (missing, forged, or another form's)."""
    token = (token or "").strip()
    if not token or len(token) > MAX_TOKEN_CHARS:
        return TOKEN_BAD
    try:
        value = _signer().unsign(token)
        # value:timestamp:signature, the signature checked just now.
        issued = signing.b62_decode(token.rsplit(":", 2)[1])
    except (signing.BadSignature, ValueError, IndexError):
        # ValueError: signed with the same key and salt but without a time.
        return TOKEN_BAD
    if value != form:
        return TOKEN_BAD
    age = time.time() - issued
    if age > max_age.total_seconds():
        return TOKEN_EXPIRED
    if age < min_seconds:
        return TOKEN_TOO_FAST
    return TOKEN_OK


# --- proof of work (ALTCHA) ----------------------------------------------------------

ALGORITHM = "PBKDF2/SHA-256"
# The browser tries counters from 0 up to the hidden one, each one PBKDF2 with COST
# iterations: MAX_COUNTER * COST / 2 = 400,000 iterations on average, about half a
# second on a mid-range phone's WebCrypto (0.1 s on a desktop), never more than twice
# that. The server checks one counter: COST iterations, under a millisecond.
COST = 2_000
MAX_COUNTER = 400
CHALLENGE_SECONDS = 20 * 60
MAX_PAYLOAD_CHARS = 4_000
REPLAY_SLOTS = 1 << 12  # proofs remembered at once on one machine (96 KiB)

PROOF_OK = "ok"
PROOF_MISSING = "missing"
PROOF_INVALID = "invalid"
PROOF_EXPIRED = "expired"
PROOF_REPLAYED = "replayed"

# Records `key` (a used proof) and says whether it was new: True the first time.
ReplayCheck = Callable[[str], bool]


def _hmac_secret() -> bytes:
    """The challenges' signing key: derived from SECRET_KEY, for this use only."""
    return salted_hmac("cangxanh.inbox.altcha", "challenge", algorithm="sha256").digest()


def new_challenge(*, cost: int = COST, max_counter: int = MAX_COUNTER) -> dict:
    """A signed challenge as JSON data, for the browser to solve (a new one each time)."""
    import altcha  # here, as in verify(): only the forms' pages need it

    challenge = altcha.create_challenge(
        ALGORITHM,
        cost,
        counter=secrets.randbelow(max_counter),
        expires_at=int(time.time()) + CHALLENGE_SECONDS,
        hmac_secret=_hmac_secret(),
    )
    return challenge.to_dict()


def verify(payload: str | None, replay_check: ReplayCheck) -> str:
    """PROOF_OK, or why not: PROOF_MISSING, PROOF_INVALID (malformed, forged, wrong),
    PROOF_EXPIRED, PROOF_REPLAYED (a payload already used: `replay_check` said so)."""
    payload = (payload or "").strip()
    if not payload:
        return PROOF_MISSING
    if len(payload) > MAX_PAYLOAD_CHARS:
        return PROOF_INVALID
    import altcha

    try:
        parsed = altcha.Payload.from_base64(payload)
        result = altcha.verify_solution(parsed, _hmac_secret())
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return PROOF_INVALID
    if result.expired:
        return PROOF_EXPIRED
    if not result.verified:
        return PROOF_INVALID
    # The signature is ours and unique to the challenge: the challenge's name.
    if not replay_check(parsed.challenge.signature):
        return PROOF_REPLAYED
    return PROOF_OK


def tally_replay_check(key: str) -> bool:
    """A `ReplayCheck` on core.tally (Redis with REDIS_URL, else this machine's table),
    remembering each proof for as long as its challenge lives."""
    hits, _left = tally.of("altcha", REPLAY_SLOTS).hit(key.encode(), CHALLENGE_SECONDS + 60)
    return hits == 1


# --- all together -----------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What to do with a submission: `drop` it silently (answer as if received, keep
    nothing), or show the form again with `errors`, or keep it, set aside for a
    person when there are `quarantine_reasons`."""

    drop: bool = False
    quarantine_reasons: list[str] = field(default_factory=list)
    errors: list = field(default_factory=list)
    drop_reason: str = ""

    @property
    def proof_ok(self) -> bool:
        """Whether the proof of work was sent and verified."""
        return NO_PROOF not in self.quarantine_reasons and BAD_PROOF not in self.quarantine_reasons


class FormDefence:
    """The defences of one public form (`form` names it in its tokens)."""

    def __init__(
        self,
        form: str = "inbox",
        *,
        replay_check: ReplayCheck = tally_replay_check,
        min_seconds: float = MIN_SECONDS,
        max_age: timedelta = MAX_AGE,
    ):
        self.form = form
        self.replay_check = replay_check
        self.min_seconds = min_seconds
        self.max_age = max_age

    def _token(self, token: str | None) -> str:
        return check_form_token(
            token, form=self.form, min_seconds=self.min_seconds, max_age=self.max_age
        )

    def hidden_values(self, data: Mapping[str, str] | None = None) -> dict[str, str]:
        """The hidden fields' values for rendering the form: a new token, or on a form
        shown again the one it was sent with (its fill time runs on) while valid."""
        token = (data or {}).get(TOKEN_FIELD)
        if self._token(token) not in (TOKEN_OK, TOKEN_TOO_FAST):
            token = issue_form_token(self.form)
        return {TOKEN_FIELD: token, HONEYPOT_FIELD: "", PROOF_FIELD: ""}

    @staticmethod
    def form_attrs(challenge_url: str) -> SafeString:
        """The <form> element's data- attributes for the solver (escaped)."""
        attrs = {"data-altcha-challenge": challenge_url, "data-altcha-field": PROOF_FIELD}
        attrs |= {f"data-altcha-{state}": str(text) for state, text in SOLVER_TEXTS.items()}
        return flatatt(attrs)

    def check(self, data: Mapping[str, str]) -> Verdict:
        if honeypot_filled(data):
            return Verdict(drop=True, drop_reason="honeypot")
        reasons: list[str] = []
        expired = False
        if HONEYPOT_FIELD not in data:
            reasons.append(INCOMPLETE_FORM)
        token = self._token(data.get(TOKEN_FIELD))
        if token == TOKEN_TOO_FAST:
            reasons.append(TOO_FAST)
        elif token == TOKEN_BAD:
            reasons.append(BAD_TOKEN)
        elif token == TOKEN_EXPIRED:
            expired = True
        proof = verify(data.get(PROOF_FIELD), self.replay_check)
        if proof == PROOF_REPLAYED:
            return Verdict(drop=True, drop_reason="replayed")
        if proof == PROOF_MISSING:
            reasons.append(NO_PROOF)
        elif proof == PROOF_INVALID:
            reasons.append(BAD_PROOF)
        elif proof == PROOF_EXPIRED:
            expired = True
        return Verdict(quarantine_reasons=reasons, errors=[EXPIRED_MESSAGE] if expired else [])
