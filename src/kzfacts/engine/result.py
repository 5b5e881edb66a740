"""The pydantic models of a result and of a fact it used: the JSON report's shape.

The engine hands out :class:`kzfacts.Result` and :class:`kzfacts.FactUse`, light objects
with the same attributes; a :class:`kzfacts.Report` validates, serialises and describes
(JSON Schema) them through these models, so the report and its schema are what they were
when the results were these models themselves. The classes keep the public names: the
schema's definitions and titles come from them. Annotations are evaluated as the classes
are made (no ``from __future__ import annotations``), as in :mod:`kzfacts.data.model`.
"""

from pydantic import BaseModel, ConfigDict, Field

from kzfacts.data.model import Severity, Verdict

__all__ = ["FactUse", "Result"]

# built on first use: a check that writes no JSON never needs their validators
_MODEL = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class FactUse(BaseModel):
    """A fact a result used, with where it is written."""

    model_config = _MODEL

    id: str
    paragraph: int
    value: str
    unit: str | None
    quote: str
    location: str


class Result(BaseModel):
    """The verdict of one rule on the fact base."""

    model_config = _MODEL

    rule: str
    kind: str
    title: str
    severity: Severity
    paragraphs: tuple[int, ...]
    why: str
    verdict: Verdict
    message: str
    facts: tuple[FactUse, ...]
    intervals: dict[str, str] = Field(default_factory=dict)
    notes: tuple[str, ...] = ()
    location: str
    accepted: str | None = Field(None, description="the baseline's justification, if accepted")
