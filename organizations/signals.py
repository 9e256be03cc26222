"""Keep the directory's cached counts in step with every change, whichever way it is made."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import Association, Category, Municipality
from .selectors import directory_changed


def _changed(**kwargs):
    transaction.on_commit(directory_changed)


def connect():
    for model in (Association, Category, Municipality):
        post_save.connect(_changed, sender=model, dispatch_uid=f"directory-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"directory-{model.__name__}-delete")
    m2m_changed.connect(_changed, sender=Association.categories.through, dispatch_uid="directory-categories")
