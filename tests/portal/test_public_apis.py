"""The portal's subclasses of library classes use their public API only: they neither override nor
call a private name of the library class, nor assign over one of its properties."""

import ast
import importlib
import inspect
import pkgutil
import textwrap
from functools import cached_property

import pytest
from django.utils import functional

PACKAGES = ["accounts", "organizations", "meetings", "correspondence", "notifications"]


def _modules():
    for package in PACKAGES:
        yield package
        for info in pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}."):
            if ".migrations" not in info.name:
                yield info.name


def _is_ours(cls) -> bool:
    return cls.__module__.split(".")[0] in PACKAGES


# Names with an underscore that the libraries document for use: Django's Model._meta API and its
# managers; the enum module's _sunder_ names.
DOCUMENTED = {"_meta", "_default_manager", "_base_manager"}
PROPERTIES = (property, cached_property, functional.cached_property)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("_") and name not in DOCUMENTED


def _misuses(cls) -> list[str]:
    library = {}
    for base in reversed(cls.__mro__[1:]):
        if not _is_ours(base):
            library.update(vars(base))
    ours = set().union(*(vars(base) for base in cls.__mro__ if _is_ours(base)))
    found = [f"overrides {name}" for name in vars(cls) if _private(name) and name in library]
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(cls)))):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"):
            continue
        if node.attr in ours:
            continue
        if _private(node.attr) and node.attr in library:
            found.append(f"uses self.{node.attr}")
        if isinstance(node.ctx, ast.Store) and isinstance(library.get(node.attr), PROPERTIES):
            found.append(f"assigns over self.{node.attr}")
    return found


def _library_subclasses():
    for name in _modules():
        module = importlib.import_module(name)
        for _attr, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name and any(not _is_ours(base) for base in cls.__mro__[1:-1]):
                yield pytest.param(cls, id=f"{name}.{cls.__qualname__}")


@pytest.mark.parametrize("cls", list(_library_subclasses()))
def test_subclasses_of_library_classes_keep_to_their_public_api(cls):
    assert _misuses(cls) == []
