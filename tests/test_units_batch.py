"""A units file's definitions parsed at once give the registry they give one by one."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pint
import pytest

from kzfacts.data.yaml import read_yaml
from kzfacts.values.units import CORE_DEFINITIONS, UnitSystem, _batch, _registry

ROOT = Path(__file__).resolve().parent.parent
UNITS_FILES = sorted(p for p in ROOT.rglob("facts/units.yaml") if ".venv" not in p.parts)


def _one_by_one(lines: tuple[str, ...]) -> Any:
    registry = _registry()
    for line in lines:
        registry.define(line)
    return registry


@pytest.mark.parametrize("file", UNITS_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_batch_is_the_same_registry(file: Path) -> None:
    lines = (*CORE_DEFINITIONS, *read_yaml(file).data["definitions"])
    batch, single = _batch(lines), _one_by_one(lines)
    assert batch is not None  # the shortcut is taken for a plain units file
    names = sorted(str(u) for u in single._units)
    assert sorted(str(u) for u in batch._units) == names
    for name in names:
        assert batch.parse_units(name).dimensionality == single.parse_units(name).dimensionality
    for a, b in itertools.combinations(names, 2):
        if single.parse_units(a).dimensionality == single.parse_units(b).dimensionality:
            one = single.Quantity(1, a).to(b).magnitude
            assert batch.Quantity(1, a).to(b).magnitude == one


def test_units_files_are_found() -> None:
    assert len(UNITS_FILES) >= 2


@pytest.mark.parametrize("lines", [
    ("person = [person]", "@group people", "member = [member]", "@end"),  # a block
    ("  person = [person]",),                                              # indented
    ("person = [person]\ncase = [case]",),                                 # two lines in one
    ("person = [person]", "x = 1 / 0 apples"),                             # pint refuses
])
def test_anything_else_is_defined_line_by_line(lines: tuple[str, ...]) -> None:
    assert _batch((*CORE_DEFINITIONS, *lines)) is None


@pytest.mark.parametrize("bad", ["x = 1 / 0 apples", "y = [a] + [b]"])
def test_errors_come_from_the_line(bad: str) -> None:
    """A bad line raises what pint raises defining that line alone."""
    with pytest.raises(Exception) as alone:  # noqa: PT011 - whatever pint raises
        _one_by_one((*CORE_DEFINITIONS, "person = [person]", bad))
    with pytest.raises(type(alone.value)) as ours:
        UnitSystem(["person = [person]", bad], {})
    assert str(ours.value) == str(alone.value)
    assert isinstance(ours.value, (pint.errors.PintError, ValueError, KeyError, TypeError,
                                   AttributeError, ZeroDivisionError))
