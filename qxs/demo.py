"""Helpers for idempotent demo loading: a second run changes no row."""


def upsert(model, lookup, defaults=None):
    """Get the row matching ``lookup`` or create it; save only fields that differ from ``defaults``.

    Unlike ``update_or_create`` this writes nothing when the row is already as wanted, so loading
    the demo twice leaves every row (and its ``auto_now`` timestamps) untouched.
    Returns ``(obj, action)`` with action one of "created", "updated", "unchanged".
    """
    defaults = defaults or {}
    obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
    if created:
        return obj, "created"
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, defaults[name])
    obj.save(update_fields=changed)
    return obj, "updated"
