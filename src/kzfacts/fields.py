"""kzfacts in pydantic models: reported numbers as fields, and checks as model validators.

A field annotated ``Annotated[kzfacts.Reading, kzfacts.Reported(unit="person")]`` takes a
number as a document writes it (``"4,780"``, ``"3,7%"``, ``"54.5 million euros"``) and holds
its exact reading (value, precision, interval, unit); dumped, it is the text as written. A
method decorated with :func:`consistent` returns the results of kzfacts' checks on the
model's fields; a failed one makes validation fail with its arithmetic::

    class Outcomes(BaseModel):
        executed: Annotated[kzfacts.Reading, kzfacts.Reported(unit="recommendation")]
        rest: Annotated[kzfacts.Reading, kzfacts.Reported(unit="recommendation")]
        total: Annotated[kzfacts.Reading, kzfacts.Reported(unit="recommendation")]

        @kzfacts.consistent
        def adds_up(self) -> kzfacts.Result:
            return kzfacts.check_sum([self.executed, self.rest], total=self.total)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from pydantic import BaseModel, GetCoreSchemaHandler, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from kzfacts.data.model import Verdict
from kzfacts.engine.arguments import to_reading
from kzfacts.engine.result import Result
from kzfacts.errors import KzfactsError
from kzfacts.values.numbers import Reading
from kzfacts.values.units import UnitSystem

__all__ = ["Reported", "consistent"]

_Model = TypeVar("_Model", bound=BaseModel)
#: What a :func:`consistent` method returns: one result, or several.
Checks = Result | Iterable[Result]


@dataclass(frozen=True, slots=True)
class Reported:
    """A reported number as a pydantic field: ``Annotated[kzfacts.Reading, Reported(...)]``.

    The field takes text as written (read with its precision), an exact number (``int``,
    ``Decimal``, ``Fraction``, the value itself) or a :class:`~kzfacts.Reading`, and holds
    the reading; a float is refused (it is not the figure written). Dumped (to JSON or to
    Python), it is the text as written.

    Attributes:
        unit: the unit of the number when its words name none (``"person"``); words naming
            another unit are refused.
        units: words naming units (``{"euros": "EUR"}``), or a :class:`~kzfacts.UnitSystem`.

    Example:
        >>> from typing import Annotated
        >>> from pydantic import BaseModel
        >>> import kzfacts
        >>> class Fee(BaseModel):
        ...     amount: Annotated[kzfacts.Reading, kzfacts.Reported(units={"euros": "EUR"})]
        >>> fee = Fee(amount="54.5 million euros")
        >>> fee.amount.unit, str(fee.amount.interval())
        ('EUR', '[54450000, 54550000)')
        >>> fee.model_dump_json()
        '{"amount":"54.5 million euros"}'
    """

    unit: str | None = None
    units: UnitSystem | Mapping[str, str] | None = None

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self._validate, serialization=core_schema.plain_serializer_function_ser_schema(
                _written))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        unit = f" in {self.unit}" if self.unit else ""
        return {"anyOf": [{"type": "string"}, {"type": "integer"}],
                "description": f"a number as written{unit}, e.g. '4,780', '3,7%' or "
                               "'54.5 million' (its last digit gives its precision)"}

    def _validate(self, value: Any) -> Reading:
        try:
            return to_reading(value, unit=self.unit, units=self.units)
        except KzfactsError as exc:
            raise PydanticCustomError("kzfacts_number", "{message}",
                                      {"message": str(exc)}) from None


def _written(reading: Reading) -> str:
    return reading.text


@overload
def consistent(method: Callable[[_Model], Checks], /) -> Any: ...


@overload
def consistent(*, strict: bool = False) -> Callable[[Callable[[_Model], Checks]], Any]: ...


def consistent(method: Callable[[_Model], Checks] | None = None, /, *,
               strict: bool = False) -> Any:
    """Make a model's method its consistency check: a pydantic model validator (run after
    the fields are validated) that fails with the arithmetic of each failed check.

    Use it bare (``@kzfacts.consistent``) or with options (``@kzfacts.consistent(strict=True)``).

    Args:
        method: a method of the model returning a :class:`~kzfacts.Result` or several (the
            checks you call on its fields: :func:`kzfacts.check_sum`...).
        strict: also fail on a warning (holds only if the figures were truncated, or within
            a tolerance).

    Returns:
        The model validator.

    Example:
        >>> from typing import Annotated
        >>> from pydantic import BaseModel, ValidationError
        >>> import kzfacts
        >>> Count = Annotated[kzfacts.Reading, kzfacts.Reported(unit="recommendation")]
        >>> class Outcomes(BaseModel):
        ...     executed: Count
        ...     rest: Count
        ...     total: Count
        ...
        ...     @kzfacts.consistent
        ...     def adds_up(self) -> kzfacts.Result:
        ...         return kzfacts.check_sum([self.executed, self.rest], total=self.total)
        >>> try:
        ...     Outcomes(executed="4,780", rest="5,386", total="10,169")
        ... except ValidationError as exc:
        ...     print(exc.errors()[0]["msg"])
        4,780 + 5,386 = 10,166, not 10,169: 3 short
    """
    refused = (Verdict.FAIL, Verdict.WARN) if strict else (Verdict.FAIL,)

    def decorate(func: Callable[[_Model], Checks]) -> Any:
        @functools.wraps(func)
        def validate(self: _Model) -> _Model:
            checks = func(self)
            results = [checks] if isinstance(checks, Result) else list(checks)
            for r in results:
                if not isinstance(r, Result):
                    raise TypeError(f"@kzfacts.consistent: {func.__qualname__} returned "
                                    f"{r!r}, not a kzfacts.Result")
            bad = [r.message for r in results if r.verdict in refused]
            if bad:
                raise PydanticCustomError("kzfacts_inconsistent", "{message}",
                                          {"message": "; ".join(bad)})
            return self

        return model_validator(mode="after")(validate)

    return decorate if method is None else decorate(method)
