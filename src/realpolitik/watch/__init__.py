"""Follow the news: feeds and sitemaps polled, their new articles fetched, coded and stored as
they appear, and alert rules checked against what arrives.

The parts: :mod:`~realpolitik.watch.state` (what the store keeps about each source and each
article link), and the modules that fetch, poll and alert, described in ``docs/watch.md``.
"""
