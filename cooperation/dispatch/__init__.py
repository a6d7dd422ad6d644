"""The shared shape of a team dispatch (组团式帮扶), written once for doctors and teachers.

A dispatch is a person from an eastern organisation staying at a western one for a period,
with a role in the 1+4+N+X team. ``healthcare`` and ``education`` each subclass the pieces
here and add their own field (specialty; subject):

- ``choices``: the team roles;
- ``models``: the abstract ``Dispatch`` model, its ``clean()`` and its constraint factory;
- ``selectors``: the list queryset and "dispatches overlapping a year" (with the region rule);
- ``filtersets``: the FilterSet base (API, admin, dashboard);
- ``admin``: the ModelAdmin base with the year (overlap), host and role filters;
- ``api``: the serializer fields and the viewset base.

The submodules are imported explicitly (not re-exported here) so that importing the model
at app-loading time does not pull in the admin or the API.
"""
