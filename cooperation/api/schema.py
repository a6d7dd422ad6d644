"""The OpenAPI document as other systems' developers read it.

Operations are grouped by area (the app that serves them), their ids carry no path prefix
(``projects_list``), and each has a summary and a description written for a client: what it
does, from the viewset's or the action's own docstring (never a base class's), and the
filters, search and ordering it takes. The document is generated in English whatever the
request's language (see :class:`cooperation.api.docs.SchemaView`), so generated clients get ASCII identifiers.
"""

from drf_spectacular.openapi import AutoSchema

# App label (the first part of a view's module) -> the tag of its operations.
AREAS = {
    "cooperation": "core",
    "projects": "projects",
    "labor": "labor",
    "healthcare": "healthcare",
    "education": "education",
    "consumption": "consumption",
    "reports": "reports",
    "dashboard": "dashboard",
}
ACTION_SUMMARIES = {
    "list": "List {plural}",
    "retrieve": "Get one {name}",
    "create": "Create a {name}",
    "update": "Replace a {name}",
    "partial_update": "Update a {name}",
    "destroy": "Delete a {name}",
}

ACTION_DESCRIPTIONS = {
    "list": "The {plural}, newest first unless `ordering` says otherwise, in pages: "
    "`{{count, next, previous, results}}`, `page` and `page_size` (1-1000).",
    "retrieve": "One {name} by its id; 404 when there is none (or it is outside the user's scope).",
    "create": "Creates a {name}. A bad or missing field is a 400 `{{field: [message, ...]}}` and nothing is stored.",
    "update": "Replaces every field of a {name}, with the same rules as creating one.",
    "partial_update": "Changes the fields sent of a {name}, with the same rules as creating one.",
    "destroy": "Deletes a {name}; a 400 when other records still refer to it.",
}


def _own_doc(obj) -> str:
    """The docstring ``obj`` itself declares (a class's is not inherited here)."""
    doc = obj.__dict__.get("__doc__") if isinstance(obj, type) else getattr(obj, "__doc__", None)
    return " ".join((doc or "").split())


class ProgrammeSchema(AutoSchema):
    """Tags by area, short operation ids, summaries and descriptions for clients."""

    def get_tags(self) -> list[str]:
        app = type(self.view).__module__.split(".")[0]
        return [AREAS.get(app, app)]

    def get_operation_id(self) -> str:
        return super().get_operation_id().removeprefix("api_v1_")

    def _model(self):
        queryset = getattr(self.view, "queryset", None)
        return getattr(queryset, "model", None)

    def get_summary(self) -> str | None:
        model, action = self._model(), getattr(self.view, "action", None)
        if model is not None and action in ACTION_SUMMARIES:
            return ACTION_SUMMARIES[action].format(
                name=str(model._meta.verbose_name), plural=str(model._meta.verbose_name_plural)
            )
        doc = self._action_doc() or _own_doc(type(self.view))
        if doc:
            return doc.split(". ")[0].rstrip(".")
        if model is not None and action:
            return f"{action.replace('_', ' ').capitalize()} {model._meta.verbose_name_plural}"
        return None

    def _action_doc(self) -> str:
        action = getattr(self.view, "action", None)
        method = getattr(type(self.view), action, None) if action else None
        if method is None or action in ACTION_SUMMARIES:
            return ""
        return _own_doc(method)

    def get_description(self) -> str:
        model, action = self._model(), getattr(self.view, "action", None)
        parts = []
        if model is not None and action in ACTION_DESCRIPTIONS:
            parts.append(
                ACTION_DESCRIPTIONS[action].format(
                    name=str(model._meta.verbose_name), plural=str(model._meta.verbose_name_plural)
                )
            )
        parts.append(self._action_doc() or _own_doc(type(self.view)))
        if getattr(self.view, "action", None) == "list":
            filterset = getattr(self.view, "filterset_class", None)
            if filterset is not None:
                parts.append("Filters: " + ", ".join(f"`{name}`" for name in filterset.base_filters) + ".")
            if getattr(self.view, "search_fields", None):
                parts.append("`search` looks in: " + ", ".join(self.view.search_fields) + ".")
            if getattr(self.view, "ordering_fields", None):
                parts.append("`ordering` by: " + ", ".join(self.view.ordering_fields) + " (prefix `-` to reverse).")
        return "\n\n".join(part for part in parts if part)
