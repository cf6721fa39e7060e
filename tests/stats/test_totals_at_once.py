"""A machine's running view totals, added to by several processes at once."""

import multiprocessing

import pytest

from cangxanh.core import atomic
from cangxanh.stats.totals import MachineTotals


@pytest.mark.parametrize("lock_free", [True, False], ids=["atomic", "locked"])
def test_views_added_by_processes_at_once_are_all_in_the_total(monkeypatch, lock_free):
    """With libatomic (this machine has it) and without: the same totals."""
    assert atomic.ENABLED
    monkeypatch.setattr(atomic, "ENABLED", lock_free)
    totals = MachineTotals(f"test-totals-at-once-{lock_free}", 1024)
    ids = [7, 8, 1031]  # 7 and 1031 may share slots in a small table
    for tid in ids:
        totals.at_least(tid, 100, keep=True)
    context = multiprocessing.get_context("fork")
    start = context.Barrier(4)

    def work():
        start.wait()
        for _ in range(1500):
            for tid in ids:
                totals.add(tid, 0)

    processes = [context.Process(target=work) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    assert [totals.at_least(tid, 0) for tid in ids] == [100 + 4 * 1500] * 3


def test_each_view_added_at_once_gets_a_number_of_its_own():
    totals = MachineTotals("test-totals-numbers", 1024)
    totals.at_least(7, 0, keep=True)
    context = multiprocessing.get_context("fork")
    start = context.Barrier(4)
    numbers = context.Queue()

    def work():
        start.wait()
        numbers.put([totals.add(7, 0) for _ in range(500)])

    processes = [context.Process(target=work) for _ in range(4)]
    for process in processes:
        process.start()
    seen = [n for _ in processes for n in numbers.get(timeout=120)]
    for process in processes:
        process.join(timeout=120)
    assert sorted(seen) == list(range(1, 2001))


def test_raising_a_total_never_lowers_it_and_keeps_views_added_meanwhile():
    totals = MachineTotals("test-totals-raise", 1024)
    totals.at_least(9, 50, keep=True)
    assert totals.add(9, 0) == 51
    totals.raise_to({9: 40})  # the database is behind: nothing changes
    assert totals.at_least(9, 0) == 51
    totals.raise_to({9: 70})
    assert totals.add(9, 0) == 71
    assert totals.at_least(9, 60) == 71
    assert totals.at_least(9, 80) == 80
