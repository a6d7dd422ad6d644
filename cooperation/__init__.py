"""The programme core: regions, organisations, pairings, targets, secondments, the dispatch
shape and the roles, and the shared bases of every domain app (API, admin, filtersets,
imports)."""
