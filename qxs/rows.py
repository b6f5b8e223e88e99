"""Model instances from ``values_list()`` rows, for queries compiled once (``qxs.prepared``).

A :class:`Selection` names what a query reads of a model and of the rows it joins, as
``select_related()`` would, and builds the instances back from each row with ``from_db()``,
the related ones cached on their parents: templates and ``get_absolute_url()`` see the same
objects, and a field left out stays deferred (reading it would run a query, which the query
budgets catch).
"""

from django.db import DEFAULT_DB_ALIAS


def model_fields(model, *names):
    """The attribute names of ``model``'s fields among ``names`` (all when none is given), in
    the model's order: the order ``from_db()`` reads them in."""
    attnames = [field.attname for field in model._meta.concrete_fields]
    unknown = set(names) - set(attnames)
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    return tuple(name for name in attnames if not names or name in names)


class Selection:
    """``Selection(Pair, ("helper", Agency), ("helper__division", Division, "id", "name"))``:
    the first model with all its fields, or the fields named after it, then each related
    model by its path from the first, a parent's path before its children's."""

    def __init__(self, model, *related, fields=()):
        self.parts = [("", model, model_fields(model, *fields))]
        for path, related_model, *names in related:
            self.parts.append((path, related_model, model_fields(related_model, *names)))
        paths = [path for path, _model, _fields in self.parts]
        self.names = [
            f"{path}__{name}" if path else name
            for path, _model, names in self.parts
            for name in names
        ]
        # Where each related instance goes: the index of its parent and the foreign key.
        self.links = []
        for path, _related_model, _names in self.parts[1:]:
            parent, _, name = path.rpartition("__")
            parent_model = self.parts[paths.index(parent)][1]
            self.links.append((paths.index(parent), parent_model._meta.get_field(name)))

    def instances(self, row):
        """``(instance, rest)``: the first model's instance with the related ones cached on it
        (None where a foreign key is NULL), and the values of the row after them."""
        instances, start = [], 0
        for _path, model, names in self.parts:
            values = row[start : start + len(names)]
            start += len(names)
            instances.append(
                model.from_db(DEFAULT_DB_ALIAS, names, values) if values[0] is not None else None
            )
        for instance, (parent, field) in zip(instances[1:], self.links, strict=True):
            if instances[parent] is not None:
                field.set_cached_value(instances[parent], instance)
        return instances[0], row[start:]
