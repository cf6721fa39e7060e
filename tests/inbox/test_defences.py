"""The public forms' defences: honeypot, fill-time token, ALTCHA proof of work, and
`FormDefence` putting them together. No database: these are pure checks."""

import base64
import hashlib
import json
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing

from cangxanh.inbox import defences
from cangxanh.inbox.defences import FormDefence, Verdict

CHEAP = {"cost": 10, "max_counter": 50}  # the real cost is tested once; the rest runs fast


def solve_like_the_browser(challenge: dict) -> str:
    """What static/cangxanh/altcha-solver.js does, in Python: counters 0, 1, 2… until
    PBKDF2-SHA256(nonce + counter as 4 big-endian bytes, salt, cost) starts with the
    key prefix; then base64 of the JSON {challenge, solution}."""
    p = challenge["parameters"]
    nonce, salt = bytes.fromhex(p["nonce"]), bytes.fromhex(p["salt"])
    for counter in range(100_000):
        password = nonce + counter.to_bytes(4, "big")
        derived = hashlib.pbkdf2_hmac("sha256", password, salt, p["cost"], p["keyLength"]).hex()
        if derived.startswith(p["keyPrefix"]):
            solution = {"counter": counter, "derivedKey": derived, "time": 5}
            data = json.dumps({"challenge": challenge, "solution": solution})
            return base64.b64encode(data.encode()).decode()
    raise AssertionError("no solution")


def _decode(payload: str) -> dict:
    return json.loads(base64.b64decode(payload))


def _encode(data: dict) -> str:
    return base64.b64encode(json.dumps(data).encode()).decode()


class Store:
    """A replay store: what the caller backs with core.tally, Redis, or a table."""

    def __init__(self):
        self.seen = set()

    def __call__(self, key: str) -> bool:
        new = key not in self.seen
        self.seen.add(key)
        return new


def token_issued(seconds_ago: float, form: str = "inbox") -> str:
    """A genuine token, signed as if the form had been served `seconds_ago`."""

    class Earlier(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - seconds_ago))

    return Earlier(salt=defences.TOKEN_SALT).sign(form)


# --- honeypot ---------------------------------------------------------------------


def test_the_honeypot_filled_means_spam():
    assert not defences.honeypot_filled({defences.HONEYPOT_FIELD: ""})
    assert not defences.honeypot_filled({defences.HONEYPOT_FIELD: "  "})
    assert not defences.honeypot_filled({})
    assert defences.honeypot_filled({defences.HONEYPOT_FIELD: "https://spam.example"})


# --- fill-time token ----------------------------------------------------------------


def test_a_token_sent_back_at_once_is_too_fast_and_later_ok():
    assert defences.check_form_token(defences.issue_form_token()) == defences.TOKEN_TOO_FAST
    assert defences.check_form_token(token_issued(2)) == defences.TOKEN_TOO_FAST
    assert defences.check_form_token(token_issued(5)) == defences.TOKEN_OK
    assert defences.check_form_token(token_issued(5), min_seconds=10) == defences.TOKEN_TOO_FAST


def test_a_token_expires_after_two_hours():
    assert defences.check_form_token(token_issued(2 * 3600 - 60)) == defences.TOKEN_OK
    assert defences.check_form_token(token_issued(2 * 3600 + 60)) == defences.TOKEN_EXPIRED
    short = timedelta(minutes=10)
    assert defences.check_form_token(token_issued(900), max_age=short) == defences.TOKEN_EXPIRED


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "garbage",
        "inbox:1abc:forged",
        "x" * 500,
        signing.TimestampSigner(salt="another.salt").sign("inbox"),
        signing.Signer(salt=defences.TOKEN_SALT).sign("inbox"),  # no time in it
    ],
    # Named, not shown: the signed ones differ with each var folder's secret key.
    ids=["none", "empty", "garbage", "forged", "long", "other-salt", "no-time"],
)
def test_a_missing_or_forged_token_is_bad(token):
    assert defences.check_form_token(token) == defences.TOKEN_BAD


def test_a_token_is_for_one_form_and_one_secret(settings):
    token = token_issued(60, form="question")
    assert defences.check_form_token(token, form="question") == defences.TOKEN_OK
    assert defences.check_form_token(token, form="comment") == defences.TOKEN_BAD
    tampered = token.replace("question", "comment", 1)
    assert defences.check_form_token(tampered, form="comment") == defences.TOKEN_BAD
    # An older time written into it breaks the signature.
    value, stamp, signature = token.split(":")
    older = f"{value}:{signing.b62_encode(signing.b62_decode(stamp) - 60)}:{signature}"
    assert defences.check_form_token(older, form="question") == defences.TOKEN_BAD
    settings.SECRET_KEY = "another secret key, long enough for Django's checks 0123456789"
    assert defences.check_form_token(token, form="question") == defences.TOKEN_BAD


# --- proof of work ----------------------------------------------------------------------


def test_a_challenge_is_signed_and_expires_in_twenty_minutes():
    challenge = defences.new_challenge()
    p = challenge["parameters"]
    assert p["algorithm"] == "PBKDF2/SHA-256"
    assert p["cost"] == defences.COST
    assert p["expiresAt"] == pytest.approx(time.time() + 20 * 60, abs=5)
    assert len(p["keyPrefix"]) == 32  # the hidden counter's key: no shortcut to it
    assert len(challenge["signature"]) == 64
    assert defences.new_challenge()["parameters"]["nonce"] != p["nonce"]


def test_a_solution_found_like_the_browser_does_verifies():
    """At the real cost: the work a phone does, done here once."""
    challenge = defences.new_challenge()
    started = time.perf_counter()
    payload = solve_like_the_browser(challenge)
    assert time.perf_counter() - started < 2  # 400 counters at most
    assert _decode(payload)["solution"]["counter"] < defences.MAX_COUNTER
    assert defences.verify(payload, Store()) == defences.PROOF_OK


def test_a_payload_used_twice_is_refused():
    payload = solve_like_the_browser(defences.new_challenge(**CHEAP))
    store = Store()
    assert defences.verify(payload, store) == defences.PROOF_OK
    assert defences.verify(payload, store) == defences.PROOF_REPLAYED
    # Written out differently, it is still the same challenge.
    respelled = _encode(_decode(payload))
    assert defences.verify(respelled, store) == defences.PROOF_REPLAYED


def test_the_replay_check_is_asked_only_for_good_proofs():
    asked = []
    payload = solve_like_the_browser(defences.new_challenge(**CHEAP))
    data = _decode(payload)
    data["solution"]["counter"] += 1
    assert defences.verify(_encode(data), asked.append) == defences.PROOF_INVALID
    assert asked == []


def test_forged_proofs_are_refused(settings):
    payload = solve_like_the_browser(defences.new_challenge(**CHEAP))
    data = _decode(payload)

    cheaper = json.loads(json.dumps(data))
    cheaper["challenge"]["parameters"]["cost"] = 1  # less work, same signature
    wrong_counter = json.loads(json.dumps(data))
    wrong_counter["solution"]["counter"] += 1
    wrong_key = json.loads(json.dumps(data))
    wrong_key["solution"]["derivedKey"] = "00" * 32
    unsigned = json.loads(json.dumps(data))
    del unsigned["challenge"]["signature"]
    later = json.loads(json.dumps(data))
    later["challenge"]["parameters"]["expiresAt"] += 3600

    for forged in (cheaper, wrong_counter, wrong_key, unsigned, later):
        assert defences.verify(_encode(forged), Store()) == defences.PROOF_INVALID

    # A challenge signed by anyone but this site's SECRET_KEY.
    settings.SECRET_KEY = "another secret key, long enough for Django's checks 0123456789"
    assert defences.verify(payload, Store()) == defences.PROOF_INVALID


def test_an_expired_proof_is_refused():
    with mock.patch("time.time", return_value=time.time() - 21 * 60):
        challenge = defences.new_challenge(**CHEAP)
    payload = solve_like_the_browser(challenge)
    assert defences.verify(payload, Store()) == defences.PROOF_EXPIRED


@pytest.mark.parametrize(
    "payload",
    [
        "%%%",
        "bm90IGpzb24=",  # "not json"
        base64.b64encode(b"[1, 2]").decode(),
        base64.b64encode(b'{"challenge": "x", "solution": 1}').decode(),
        base64.b64encode(b'{"challenge": {"parameters": {}}, "solution": {}}').decode(),
        "ÄÖÜ",
        "A" * 10_000,
        base64.b64encode(b"[" * 5000 + b"]" * 5000).decode()[:3000],
    ],
)
def test_malformed_payloads_are_invalid_never_an_error(payload):
    assert defences.verify(payload, Store()) == defences.PROOF_INVALID


def test_no_payload_is_missing():
    assert defences.verify(None, Store()) == defences.PROOF_MISSING
    assert defences.verify("  ", Store()) == defences.PROOF_MISSING


def test_the_tally_remembers_used_proofs():
    key = "a" * 64
    assert defences.tally_replay_check(key) is True
    assert defences.tally_replay_check(key) is False
    assert defences.tally_replay_check("b" * 64) is True


# --- FormDefence ------------------------------------------------------------------------


def _post(*, seconds_ago=30, proof=True, honeypot="", **changes):
    data = {
        defences.HONEYPOT_FIELD: honeypot,
        defences.TOKEN_FIELD: token_issued(seconds_ago, "question"),
        defences.PROOF_FIELD: (
            solve_like_the_browser(defences.new_challenge(**CHEAP)) if proof else ""
        ),
    }
    data.update(changes)
    return data


def test_a_person_with_javascript_passes():
    verdict = FormDefence("question", replay_check=Store()).check(_post())
    assert verdict == Verdict(drop=False, quarantine_reasons=[], errors=[])


def test_a_filled_honeypot_is_dropped_silently():
    store = Store()
    verdict = FormDefence("question", replay_check=store).check(_post(honeypot="Bob"))
    assert verdict.drop and verdict.drop_reason == "honeypot"
    assert store.seen == set()  # nothing else looked at


def test_without_javascript_the_message_waits_for_a_person():
    verdict = FormDefence("question", replay_check=Store()).check(_post(proof=False))
    assert verdict == Verdict(quarantine_reasons=[defences.NO_PROOF])


def test_a_replayed_proof_is_dropped():
    defence = FormDefence("question", replay_check=Store())
    data = _post()
    assert not defence.check(data).drop
    again = defence.check(data | {defences.TOKEN_FIELD: token_issued(40, "question")})
    assert again.drop and again.drop_reason == "replayed"


def test_suspicious_forms_are_quarantined_not_refused():
    defence = FormDefence("question", replay_check=Store())
    assert defence.check(_post(seconds_ago=1)).quarantine_reasons == [defences.TOO_FAST]
    forged_token = _post(**{defences.TOKEN_FIELD: "question:1:x"})
    assert defence.check(forged_token).quarantine_reasons == [defences.BAD_TOKEN]
    other_form = _post(**{defences.TOKEN_FIELD: token_issued(30, "comment")})
    assert defence.check(other_form).quarantine_reasons == [defences.BAD_TOKEN]
    forged_proof = _post(**{defences.PROOF_FIELD: _encode({"challenge": {}, "solution": {}})})
    assert defence.check(forged_proof).quarantine_reasons == [defences.BAD_PROOF]
    no_honeypot = _post()
    del no_honeypot[defences.HONEYPOT_FIELD]
    assert defence.check(no_honeypot).quarantine_reasons == [defences.INCOMPLETE_FORM]
    everything = _post(seconds_ago=0, proof=False)
    assert defence.check(everything).quarantine_reasons == [defences.TOO_FAST, defences.NO_PROOF]


def test_an_expired_form_asks_to_send_again():
    defence = FormDefence("question", replay_check=Store())
    verdict = defence.check(_post(seconds_ago=3 * 3600))
    assert verdict.errors == [defences.EXPIRED_MESSAGE]
    assert not verdict.drop and verdict.quarantine_reasons == []
    with mock.patch("time.time", return_value=time.time() - 3600):
        old = solve_like_the_browser(defences.new_challenge(**CHEAP))
    verdict = defence.check(_post(**{defences.PROOF_FIELD: old}))
    assert verdict.errors == [defences.EXPIRED_MESSAGE]


def test_a_form_shown_again_keeps_its_token_until_it_expires():
    defence = FormDefence("question")
    fresh = defence.hidden_values()
    assert defences.check_form_token(fresh[defences.TOKEN_FIELD], form="question") == (
        defences.TOKEN_TOO_FAST
    )
    assert fresh[defences.PROOF_FIELD] == "" and fresh[defences.HONEYPOT_FIELD] == ""
    sent = {defences.TOKEN_FIELD: token_issued(600, "question")}
    assert defence.hidden_values(sent)[defences.TOKEN_FIELD] == sent[defences.TOKEN_FIELD]
    stale = {defences.TOKEN_FIELD: token_issued(3 * 3600, "question")}
    assert defence.hidden_values(stale)[defences.TOKEN_FIELD] != stale[defences.TOKEN_FIELD]


def test_the_forms_attributes_are_escaped():
    attrs = FormDefence.form_attrs('/vi/questions/challenge/?a=1&b="2"')
    assert ' data-altcha-challenge="/vi/questions/challenge/?a=1&amp;b=&quot;2&quot;"' in attrs
    assert ' data-altcha-field="altcha"' in attrs
    for state in ("working", "done", "failed"):
        assert f" data-altcha-{state}=" in attrs
