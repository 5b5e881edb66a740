"""Immutable value classes whose methods are written once, here.

``@dataclass(frozen=True, slots=True)`` writes each class's ``__init__``, ``__eq__``,
``__hash__``, ``__repr__``, ``__setattr__`` and ``__delattr__`` as source text and compiles
it while the module is imported: about half a millisecond a class, which for the engine's
value classes was a twentieth of a cold ``kzfacts check``. A :class:`Record` names its
fields in ``_fields``, keeps them in ``__slots__`` and writes its own ``__init__``; the rest
is shared and generic, with the fields read in C (:func:`operator.attrgetter`).

Semantics are the dataclass ones: compared and hashed by the fields' values (instances of
the same class only), printed as ``Name(field=value, ...)``, ordered by the fields for an
:class:`OrderedRecord`, immutable (setting or deleting an attribute raises
:class:`dataclasses.FrozenInstanceError`), copied and pickled with every slot. Slots not in
``_fields`` are memos (values computed on first use): not compared, printed or hashed; a
class may compare and hash fewer fields than it prints (``_compared``).
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from operator import attrgetter
from typing import Any, ClassVar, Self

__all__ = ["OrderedRecord", "Record", "set_slot"]

#: Sets a slot of a record (in its ``__init__``, or a memo later): bypasses immutability.
set_slot = object.__setattr__


class Record:
    """The base of an immutable value class: see the module's docstring."""

    __slots__ = ()
    #: The fields, in the order ``__init__`` takes them.
    _fields: ClassVar[tuple[str, ...]] = ()
    #: The fields compared and hashed, when not all of them.
    _compared: ClassVar[tuple[str, ...] | None] = None
    _values: ClassVar[Any]  # the compared fields' values, as a tuple (an attrgetter)
    _shown: ClassVar[Any]  # every field's value, as a tuple

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        slots: set[str] = set()
        for klass in cls.__mro__:
            slots.update(klass.__dict__.get("__slots__", ()))
        compared = cls._fields if cls._compared is None else cls._compared
        missing = [name for name in dict.fromkeys((*cls._fields, *compared))
                   if name not in slots]
        if missing:
            raise TypeError(f"{cls.__qualname__}: fields without a slot: {missing}")
        cls._values = staticmethod(_getter(compared))
        cls._shown = staticmethod(_getter(cls._fields))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._values(self) == self._values(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values(self))

    def __repr__(self) -> str:
        values = self._shown(self)
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, values,
                                                                      strict=True))
        return f"{type(self).__qualname__}({inner})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed, made by ``__init__`` (so memos start empty),
        as :func:`dataclasses.replace` makes one."""
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__qualname__} has no fields {sorted(unknown)}")
        values = dict(zip(self._fields, self._shown(self), strict=True))
        return type(self)(**{**values, **changes})

    __replace__ = replace  # copy.replace (Python 3.13)

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = {}
        for klass in type(self).__mro__:
            for name in klass.__dict__.get("__slots__", ()):
                if hasattr(self, name):
                    state[name] = getattr(self, name)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            set_slot(self, name, value)


def _getter(names: tuple[str, ...]) -> Any:
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda _: ()


class OrderedRecord(Record):
    """A record ordered by its compared fields, as a tuple of them (``order=True``)."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._values(self) < self._values(other))
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._values(self) <= self._values(other))
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._values(self) > self._values(other))
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._values(self) >= self._values(other))
        return NotImplemented
