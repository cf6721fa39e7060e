"""A machine's running view totals, added to by several processes at once."""

import multiprocessing

from cangxanh.stats.totals import MachineTotals


def test_views_added_by_processes_at_once_are_all_in_the_total():
    totals = MachineTotals("test-totals-at-once", 1024)
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
