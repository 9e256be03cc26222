"""The one way services put changed values on a model instance before they validate and save it."""


def model_assign(*, instance, data: dict, fields=None) -> list[str]:
    """Set the values of `data` on `instance` (only those named in `fields`, when given), unsaved.

    Returns the names that were set; the service calls full_clean() and saves.
    """
    names = [name for name in data if fields is None or name in fields]
    for name in names:
        setattr(instance, name, data[name])
    return names
