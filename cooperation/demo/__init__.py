"""Demo data: the source report's figures as individual records (``manage.py seed_demo``).

Each domain has its own module with a ``seed(ctx)`` function; they run in order inside one
transaction, create records through natural keys (``update_or_create``), and so running the
command twice changes nothing. Random choices come from a seeded generator, so every run
builds the same records.
"""
