"""Tallies: how often a client did something in a window, keyed by a hash under a
random key of the day, on this machine's table and in Redis."""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from cangxanh.core import tally

DAY = 86400
WHO = b"203.0.113.9\nMozilla/5.0 (X11; Linux x86_64) Firefox/133.0\n42"


def noon() -> float:
    """Local noon today: a window or a minute added never crosses midnight (the day's
    key changes there), whatever hour the tests run at."""
    zone = ZoneInfo(settings.TIME_ZONE)
    today = datetime.now(zone).date()
    return datetime(today.year, today.month, today.day, 12, tzinfo=zone).timestamp()


@pytest.fixture(params=["machine", "redis"])
def make(request):
    """A maker of a fresh tally, on this machine or in Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_backend")
        return lambda name: tally.RedisTally(name)
    return lambda name: tally.FileTally(f"test-{name}", 64)


def test_a_window_counts_from_the_first_time_and_then_starts_again(make):
    counts = make("window")
    now = noon()
    assert counts.hit(WHO, 1800, now) == (1, 1800)
    assert counts.hit(WHO, 1800, now + 10) == (2, pytest.approx(1790))
    assert counts.hit(b"someone else", 1800, now + 10) == (1, 1800)
    assert counts.hit(WHO, 1800, now + 1799)[0] == 3
    assert counts.hit(WHO, 1800, now + 1801) == (1, 1800)  # a new window


def test_the_key_changes_with_the_day_so_yesterdays_hashes_match_nothing(make):
    counts = make("days")
    now = noon()
    assert counts.hit(WHO, 3 * DAY, now)[0] == 1
    assert counts.hit(WHO, 3 * DAY, now + 60)[0] == 2
    # Still inside the window, but another day: another key, so another hash.
    assert counts.hit(WHO, 3 * DAY, now + DAY)[0] == 1
    assert counts.hit(WHO, 3 * DAY, now + DAY + 60)[0] == 2


def test_the_days_key_is_random_not_derived_and_on_this_machine_only_todays():
    one, two = tally.FileTally("test-one", 64), tally.FileTally("test-two", 64)
    now = noon()
    one.hit(WHO, 60, now)
    two.hit(WHO, 60, now)
    day, key = one.HEADER.unpack_from(one.map, 0)
    assert day == tally.day_of(now) and key != two.HEADER.unpack_from(two.map, 0)[1]
    one.hit(WHO, 60, now + DAY)
    day_after, key_after = one.HEADER.unpack_from(one.map, 0)
    assert day_after == day + 1 and key_after != key
    # Yesterday's hashes went with yesterday's key: one slot is taken, today's.
    taken = [
        i for i in range(one.slots + 7) if one.SLOT.unpack_from(one.map, one.offset(i))[0] != 0
    ]
    assert len(taken) == 1


def test_redis_keeps_one_key_a_day_for_two_days(redis_backend, settings):
    counts = tally.RedisTally("days")
    now = noon()
    counts.hit(WHO, 60, now)
    counts.hit(WHO, 60, now + DAY)
    keys = sorted(redis_backend.scan_iter(match=settings.REDIS_PREFIX + "tally-key:*"))
    assert len(keys) == 2
    assert redis_backend.get(keys[0]) != redis_backend.get(keys[1])
    assert all(0 < redis_backend.ttl(key) <= 2 * DAY for key in keys)
    # Another process asking the same day gets the same key (SET NX), so the same hash.
    assert tally.RedisTally("days").hit(WHO, 60, now + DAY + 1)[0] == 2


def test_no_address_or_browser_is_kept(make, settings):
    counts = make("private")
    counts.hit(WHO, 60)
    if isinstance(counts, tally.FileTally):
        kept = counts.path.read_bytes()
    else:
        from cangxanh.core import redis

        client = redis.client()
        kept = b"".join(
            key + b"".join(client.hvals(key)) if client.type(key) == b"hash" else key
            for key in client.scan_iter(match=settings.REDIS_PREFIX + "*")
        )
    address, browser, _read = WHO.split(b"\n")
    assert address not in kept and browser not in kept


def test_a_machines_table_keeps_its_size_and_gives_up_the_oldest_window():
    counts = tally.FileTally("test-bounded", 8)
    now = noon()
    counts.hit(b"reader 0", 60, now)
    size = os.path.getsize(counts.path)
    for number in range(1, 200):
        counts.hit(b"reader %d" % number, 60 + number, now)
    assert os.path.getsize(counts.path) == size
    assert counts.hit(b"reader 199", 60, now)[0] == 2  # the newest are remembered
    assert counts.hit(b"reader 1", 60, now)[0] == 1  # the oldest went


def _in_processes(work, count: int) -> list:
    """`work(number)` in `count` forked processes at once; their answers, in order."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    start = context.Barrier(count)
    answers = context.Queue()

    def run(number):
        start.wait()
        answers.put((number, work(number)))

    processes = [context.Process(target=run, args=(n,)) for n in range(count)]
    for process in processes:
        process.start()
    results = dict(answers.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return [results[n] for n in range(count)]


def test_processes_at_once_count_each_reader_first_exactly_once():
    """Four processes tally the same readers at once, starting on a new day (all race to
    make its key): every reader is somebody's first exactly once, and the last of the
    four sees four hits."""
    # Room enough that no eight neighbouring slots fill (3,000 readers in 16,384 slots
    # filled one now and then, and a full neighbourhood gives a reader up, who then
    # counts again: right for the table, not what this test is about).
    counts = tally.FileTally("test-at-once", 1 << 17)
    now = noon()
    counts.hit(b"yesterday", 60, now - DAY)
    readers = [b"reader %d" % n for n in range(3000)]

    def work(number):
        order = readers[number::4] + readers[:number:] + readers  # each starts elsewhere
        seen, firsts, most = set(), [], {}
        for who in order:
            if who in seen:
                continue
            seen.add(who)
            hits, _left = counts.hit(who, 600, now)
            if hits == 1:
                firsts.append(who)
            most[who] = hits
        return firsts, max(most.values())

    answers = _in_processes(work, 4)
    firsts = [who for mine, _most in answers for who in mine]
    assert sorted(firsts) == sorted(readers)  # each once, none twice
    assert max(most for _mine, most in answers) == 4
    assert all(counts.hit(who, 600, now)[0] == 5 for who in readers[:50])


# --- FileFirsts: whether a reader is new in its window, without a lock -------------


@pytest.fixture(params=["swap", "lock"])
def firsts(request, monkeypatch):
    """A maker of a FileFirsts, answering with compare-and-swap (libatomic) or, where
    libatomic is missing, under the bucket's record lock."""
    from cangxanh.core import atomic

    if request.param == "lock":
        monkeypatch.setattr(atomic, "ENABLED", False)
    elif not atomic.ENABLED:
        pytest.skip("libatomic is not on this machine: only the locked path can run")
    return lambda name, slots=64: tally.FileFirsts(f"test-{name}", slots)


def test_a_reader_is_first_once_in_a_window_to_the_second(firsts):
    seen = firsts("firsts-window")
    now = noon()
    assert seen.first(WHO, 1800, now) is True
    assert seen.first(WHO, 1800, now + 10) is False
    assert seen.first(b"someone else", 1800, now + 10) is True
    assert seen.first(WHO, 1800, now + 1799.5) is False
    # The window ends on the second after its end (a slot keeps whole seconds).
    assert seen.first(WHO, 1800, now + 1800.2) is True
    assert seen.first(WHO, 1800, now + 1801) is False  # a new window began
    # A window begun on a fraction of a second lasts to the next whole one.
    assert seen.first(b"late", 60, now + 0.5) is True
    assert seen.first(b"late", 60, now + 60.9) is False
    assert seen.first(b"late", 60, now + 61) is True


def test_firsts_take_a_new_key_each_day(firsts):
    seen = firsts("firsts-days")
    now = noon()
    assert seen.first(WHO, 3 * DAY, now) is True
    assert seen.first(WHO, 3 * DAY, now + 60) is False
    day, key = seen.HEADER.unpack_from(seen.map, 0)
    assert seen.first(WHO, 3 * DAY, now + DAY) is True  # inside the window, another key
    day_after, key_after = seen.HEADER.unpack_from(seen.map, 0)
    assert (day_after, key_after != key) == (day + 1, True)
    slots = range(seen.HEADER.size, seen.size, seen.SLOT.size)
    taken = [at for at in slots if seen.SLOT.unpack_from(seen.map, at)[0]]
    assert len(taken) == 1  # yesterday's went with yesterday's key


def test_a_full_bucket_gives_up_the_window_that_ends_first(firsts):
    seen = firsts("firsts-bounded", 8)  # one bucket of eight slots
    now = noon()
    for number in range(8):
        assert seen.first(b"reader %d" % number, 600 + 10 * number, now) is True
    size = os.path.getsize(seen.path)
    assert all(seen.first(b"reader %d" % n, 600, now + 1) is False for n in range(8))
    assert seen.first(b"reader 8", 600, now + 2) is True  # takes reader 0's slot
    assert seen.first(b"reader 1", 600, now + 3) is False  # still there
    assert seen.first(b"reader 0", 600, now + 4) is True  # gone, so new again
    assert os.path.getsize(seen.path) == size
    address, browser, _read = WHO.split(b"\n")
    seen.first(WHO, 600, now + 5)
    kept = seen.path.read_bytes()
    assert address not in kept and browser not in kept


def test_a_hash_across_two_slots_is_not_a_reader(firsts):
    """A reader is found by searching the bucket's bytes for the five of its hash: the
    same five bytes lying across two slots (the end of one, the hash of the next) are
    not that reader."""
    from hashlib import blake2b

    seen = firsts("firsts-across", 8)  # one bucket
    now = noon()
    seen.first(b"someone", 600, now)  # makes the day's key
    key = seen.HEADER.unpack_from(seen.map, 0)[1]
    pattern = blake2b(WHO, key=key, digest_size=8).digest()[:5]
    bucket = bytearray(64)
    bucket[0:5] = b"\x01\x02\x03\x04\x05"  # another reader's hash, then
    bucket[5:10] = pattern  # three bytes of its end and two of the next slot's hash
    bucket[12] = 0x7F  # read from byte 5, a window that never ends
    seen.map[seen.HEADER.size : seen.HEADER.size + 64] = bytes(bucket)
    assert seen.first(WHO, 600, now + 1) is True
    assert seen.first(WHO, 600, now + 2) is False  # now it is there, in a slot of its own


def test_processes_at_once_find_each_reader_new_exactly_once(firsts):
    """Four processes ask about the same readers at once, from a new day on (all race to
    make its key): every reader is new to exactly one of them."""
    seen = firsts("firsts-at-once", 1 << 15)  # 3,000 readers: no bucket fills
    now = noon()
    seen.first(b"yesterday", 60, now - DAY)
    readers = [b"reader %d" % n for n in range(3000)]

    def work(number):
        order = readers[number::4] + readers  # each starts elsewhere, then all of them
        return [who for who in dict.fromkeys(order) if seen.first(who, 600, now)]

    firsts_found = [who for mine in _in_processes(work, 4) for who in mine]
    assert sorted(firsts_found) == sorted(readers)  # each once, none twice
    assert not any(seen.first(who, 600, now + 1) for who in readers[:50])
