"""The public surface of ``kzfacts``: every name documented, every type in a public signature
public, help() short, the package imported lazily, and a house without import cycles."""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import pydoc
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kzfacts

SRC = Path(kzfacts.__file__).parent


def _own_doc(obj: object) -> str | None:
    """The object's own docstring (a class's, not one inherited or made by dataclasses)."""
    if inspect.isclass(obj):
        doc = obj.__dict__.get("__doc__")
        return None if doc is None or doc.startswith(f"{obj.__name__}(") else doc
    if inspect.isfunction(obj):
        return obj.__doc__
    return None


@pytest.mark.parametrize("name", kzfacts.__all__)
def test_every_public_name_is_documented(name: str) -> None:
    """Its own docstring, or (a value, or an enumeration whose docstring would change a
    published JSON Schema) a line of the package's docstring naming it."""
    obj = getattr(kzfacts, name)
    assert _own_doc(obj) or f"* ``{name}``: " in (kzfacts.__doc__ or ""), name


def test_every_public_name_resolves_and_nothing_else_does() -> None:
    for name in kzfacts.__all__:
        assert getattr(kzfacts, name) is not None
    assert sorted(dir(kzfacts)) == sorted(kzfacts.__all__)
    with pytest.raises(AttributeError, match="no attribute 'chekc'"):
        kzfacts.chekc  # type: ignore[attr-defined]  # noqa: B018 - the attribute access is the test


def _classes(tp: Any) -> Iterator[type]:
    """The classes a type annotation names (through unions, generics, Literal's values)."""
    if isinstance(tp, type):
        yield tp
    for arg in typing.get_args(tp):
        yield from _classes(arg)
    origin = typing.get_origin(tp)
    if isinstance(origin, type):
        yield origin


def _signatures(obj: Any) -> Iterator[tuple[str, Any]]:
    """(where, annotation) for a public function, or a public class's fields and methods."""
    if inspect.isfunction(obj):
        for arg, tp in typing.get_type_hints(obj).items():
            yield f"{obj.__name__}.{arg}", tp
        return
    if not inspect.isclass(obj):
        return
    if dataclasses.is_dataclass(obj) or hasattr(obj, "model_fields"):
        for field, tp in typing.get_type_hints(obj).items():
            if not field.startswith("_") and typing.get_origin(tp) is not typing.ClassVar:
                yield f"{obj.__name__}.{field}", tp
    for name, member in vars(obj).items():
        if name.startswith("_") and name != "__init__":
            continue
        if name == "__init__" and obj in _BUILT_BY_KZFACTS:
            continue
        func = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
        if inspect.isfunction(func):
            for arg, tp in typing.get_type_hints(func).items():
                yield f"{obj.__name__}.{name}.{arg}", tp


#: Classes whose instances kzfacts makes (``kzfacts.load``, the compiler) and hands out:
#: their constructors take its internal parts, and are not part of the public surface.
_BUILT_BY_KZFACTS: set[type] = set()


def test_public_signatures_use_only_public_types() -> None:
    _BUILT_BY_KZFACTS.update({kzfacts.FactBase, kzfacts.CompileContext, kzfacts.Rules,
                              kzfacts.RuleSource})
    public = {id(getattr(kzfacts, name)) for name in kzfacts.__all__}
    leaks: dict[str, list[str]] = {}
    for name in kzfacts.__all__:
        obj = getattr(kzfacts, name)
        if name == "render":  # its FactBase annotation is imported for type checking only
            continue
        for where, tp in _signatures(obj):
            for cls in _classes(tp):
                if cls.__module__.startswith("kzfacts") and id(cls) not in public:
                    leaks.setdefault(f"{cls.__module__}.{cls.__qualname__}", []).append(where)
    # the rule kinds' spec models: what a plugin's spec may extend and a rules file holds
    for kind in kzfacts.BUILTIN_KINDS:
        for where, tp in _signatures(kind.Spec):
            for cls in _classes(tp):
                if (cls.__module__.startswith("kzfacts") and id(cls) not in public
                        and not issubclass(cls, kzfacts.RuleSpec)):
                    leaks.setdefault(f"{cls.__module__}.{cls.__qualname__}", []).append(where)
    assert leaks == {}


@pytest.mark.parametrize("name", ["Result", "Report", "FactUse", "Outcome"])
def test_help_on_a_result_type_is_short_and_its_own(name: str) -> None:
    """No inherited model machinery: help() shows the fields and what kzfacts defines."""
    text = pydoc.render_doc(getattr(kzfacts, name), renderer=pydoc.plaintext)  # type: ignore[attr-defined]  # a documented renderer the stubs lack
    assert "model_" not in text
    assert len(text.splitlines()) < 150


def test_importing_kzfacts_imports_none_of_the_engine() -> None:
    """The pytest plugin imports the package in every project where kzfacts is installed:
    that import loads nothing else, and a public name loads its module when first used."""
    code = ("import sys, kzfacts\n"
            "print(sorted(m for m in sys.modules if m.startswith(('kzfacts.', 'pydantic', 'pint',"
            " 'yaml'))))\n"
            "kzfacts.check\n"
            "print('kzfacts.engine.check' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert run.stdout.splitlines() == ["[]", "True"]


# -- the house: no import cycles, no import from a lower layer up to a higher one ------------

#: The layers, lowest first: a module imports only from its own layer or lower ones.
LAYERS: dict[str, int] = {
    "kzfacts.errors": 0, "kzfacts._files": 0, "kzfacts._escape": 0,
    "kzfacts.values": 1, "kzfacts.data": 2, "kzfacts.engine": 3,
    "kzfacts.reports": 4, "kzfacts._examples": 4,
    "kzfacts.strategies": 5, "kzfacts.testing": 5, "kzfacts.draft": 5, "kzfacts.fields": 5,
    "kzfacts.cli": 6, "kzfacts.pytest_plugin": 6, "kzfacts": 7,
}


def _layer(module: str) -> int:
    owner = max((name for name in LAYERS if module == name or module.startswith(name + ".")),
                key=len)
    return LAYERS[owner]


@functools.cache
def _imports() -> dict[str, set[str]]:
    """Each module of src/ and the modules of src/ it imports (anywhere in its code): parsed
    once, for the three tests that read it."""
    modules: dict[str, Path] = {}
    for path in SRC.rglob("*.py"):
        parts = ["kzfacts", *path.relative_to(SRC).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    found.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[module] = {m for m in found if m in modules and m != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles() -> None:
    # the command line's own circle (cli, its corpus and its fast path) goes with its rewrite
    cycles = [c for c in _cycles(_imports()) if not all(m.startswith("kzfacts.cli") for m in c)]
    assert cycles == []


def test_no_import_runs_up_from_a_lower_layer() -> None:
    up = sorted(f"{m} -> {d}" for m, deps in _imports().items() for d in deps
                if _layer(d) > _layer(m))
    assert up == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_kinds_import_nothing_of_hypothesis_scenarios_or_strategies() -> None:
    graph = _imports()
    engine = {m: deps for m, deps in graph.items() if m.startswith("kzfacts.engine")}
    assert engine
    for module, deps in engine.items():
        assert not {d for d in deps if d.startswith(("kzfacts._examples", "kzfacts.strategies"))}
        text = (SRC / Path(*module.split(".")[1:])).with_suffix(".py")
        source = text.read_text(encoding="utf-8") if text.exists() else ""
        assert "hypothesis" not in source, module
