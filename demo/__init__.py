"""Demo data: the source report's figures as individual records (``manage.py seed_demo``), and
a second, clearly fictitious pair (``demo.second_pair``, 2024 only) beside Yuyao-Zhaojue so that
the prefecture's roll-up and the user scopes have two counties to show.

Each domain has its own module with a ``seed(ctx)`` function; they run in order inside one
transaction. Records are found by natural keys (codes, names, ``external_id`` such as
``demo-worker-0001``, sales with ``source="demo"``) and only missing ones are created, the large
sets in bulk with their history rows, so running the command twice writes nothing. Random
choices come from generators seeded per domain (``DemoContext.rng_for``), so every run builds
the same records.
"""
