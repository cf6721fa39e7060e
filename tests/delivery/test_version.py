"""The content version's bulk-load mode (delivery.version.deferred)."""


def test_a_bulk_load_bumps_once_at_its_end(db):
    """version.deferred(): saves inside only note a bump is due; the cached pages are
    retired once, when the load ends, and never while it runs."""
    from cangxanh.delivery import version

    before = version.current()
    with version.deferred():
        version.bump()
        version.bump()
        assert version.current() == before
    assert version.current() == before + 1
    with version.deferred():
        pass
    assert version.current() == before + 1  # nothing changed: nothing retired
