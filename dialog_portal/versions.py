"""Versions of cached page parts: one name per kind of source data, a new value at every change.

Pages cache what many requests share and few writes change (the directory's and the calendar's
filter lists with their rendered HTML, the directory's list for visitors who are not signed in)
under keys that carry the version of their sources. Every write to a source gives it a new
version (receivers that connect() attaches, from each app's ready(), to every save and delete of
the models in SOURCES and every change of the many-to-many links named there), so the next
request builds the part anew: a change shows on the next request, and nothing needs to be found
and deleted.

A new version is set at the change and again when the transaction that made it commits: a
request that read the version set at commit also reads the new data. A request that read an
older version may store its part under the older key afterwards, where no one looks any more.

While Redis is down (dialog_portal.cache), each process would keep versions of its own, and a
change made in one would not reach the others: then every request builds its parts anew, and
the versions are forgotten when Redis answers again (dialog_portal.cache calls forget_all), since
a change made meanwhile could not be recorded there.
"""

import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

PREFIX = "version:"

# Each version and the models whose saves and deletes change it ("app.Model.field": the links of
# that many-to-many field).
SOURCES = {
    # The directory: its filter lists (the municipalities with verified associations, the
    # vocabularies) and, for visitors who are not signed in, the whole list it shows.
    "directory": (
        "organizations.Municipality",
        "organizations.Category",
        "organizations.Language",
        "organizations.TargetGroup",
        "organizations.Need",
        "organizations.Association",
        "organizations.Association.categories",
        "organizations.Association.activity_languages",
        "organizations.Association.target_groups",
        "organizations.Association.needs",
    ),
    "calendar-filters": (
        "organizations.Municipality",
        "organizations.Language",
        "meetings.Meeting",
        "meetings.TranslationLanguage",
    ),
    # Whole pages for visitors who are not signed in (dialog_portal.pagecache): "app.*" is every
    # model of the app and the links of its every many-to-many field. An association's profile
    # reads everything of the organizations app (memberships and take-overs too), beside its
    # meetings and letters.
    "association-pages": ("organizations.*",),
    "meeting-pages": (
        "meetings.*",
        "organizations.Municipality",
        "organizations.District",
        "organizations.Association",
        "organizations.Language",
    ),
    "letter-pages": (
        "correspondence.*",
        "meetings.*",
        "organizations.Municipality",
        "organizations.Association",
    ),
}

# How long a part is kept without being read: a bound on memory, not on staleness.
PART_TIMEOUT = 24 * 60 * 60


def _key(name: str) -> str:
    return PREFIX + name


def _shared() -> bool:
    # The portal's backend says when it has fallen back to each process's own memory.
    return getattr(cache, "redis_available", True)


def current(*names: str) -> str:
    """One string naming the current versions of `names`, for a cache key."""
    if not _shared():
        return uuid.uuid4().hex
    keys = [_key(name) for name in names]
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return "-".join(found[key] for key in keys)


def _renew(names) -> None:
    cache.set_many({_key(name): uuid.uuid4().hex for name in names}, timeout=None)


def bump(*names: str) -> None:
    """Give `names` new versions at once (for what the writing transaction itself reads next) and
    again when the transaction commits (at once outside one)."""
    _renew(names)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _renew(names))


def _expanded(labels) -> set[str]:
    """The labels with each "app.*" replaced by every model of the app and its many-to-many fields."""
    expanded = set()
    for label in labels:
        app, _, rest = label.partition(".")
        if rest != "*":
            expanded.add(label)
            continue
        for model in apps.get_app_config(app).get_models():
            expanded.add(f"{app}.{model.__name__}")
            expanded.update(f"{app}.{model.__name__}.{field.name}" for field in model._meta.local_many_to_many)
    return expanded


def connect(app_label: str) -> None:
    """Bump the versions whose sources include a model of this app on its every save and delete,
    and those that name a many-to-many field ("app.Model.field") on every change of its links
    (called from the app's ready())."""
    sources = {name: _expanded(labels) for name, labels in SOURCES.items()}
    for label in {label for labels in sources.values() for label in labels if label.startswith(f"{app_label}.")}:
        names = tuple(name for name, labels in sources.items() if label in labels)

        def changed(sender, names=names, **kwargs):
            bump(*names)

        app, model_name, *field = label.split(".")
        model = apps.get_model(app, model_name)
        if field:
            through = model._meta.get_field(field[0]).remote_field.through
            m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"versions:{label}:m2m")
        else:
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"versions:{label}:save")
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"versions:{label}:delete")


def forget_all(backend) -> None:
    """Drop every version from `backend`: the next request starts new ones."""
    backend.delete_many([_key(name) for name in SOURCES])


def cached(name: str, build, *vary, version: str | None = None) -> object:
    """The value `build()` returns, cached under the current version of `name` (`version`, when
    the caller has read it already) and `vary`."""
    key = ":".join(["part", name, version or current(name), *(str(value) for value in vary)])
    return cache.get_or_set(key, build, PART_TIMEOUT)
