"""Delivering pages fast and exactly: the content version, the whole-page cache
in front of Django (`front`), and the marks Django puts on what may be cached
(`middleware`). View counting lives in `cangxanh.stats.counter`."""
