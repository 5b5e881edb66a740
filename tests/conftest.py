"""Shared fixtures: tiny fact bases written to ``tmp_path`` from dicts and strings.

Tests run with ``--import-mode=importlib`` and cannot import each other, so every helper
they share is a fixture here. Fixture values are plain callables, so a test annotates them
with the ``Callable`` types named in each fixture's docstring.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

import kzfacts
from kzfacts.testing import register_profiles

# Hypothesis profiles: "ci" (the default) is quick and reproducible; "thorough" runs at
# least 10,000 examples per property: ``pytest --hypothesis-profile=thorough``. They are
# kzfacts.testing's, the ones downstream projects get.
register_profiles(load="ci")
settings.register_profile("dev", max_examples=50, deadline=None)


#: Units of the tiny test fact bases: each counted entity its own dimension.
DEFAULT_UNITS: dict[str, Any] = {
    "definitions": [
        "person = [person] = _ = persons",
        "case = [case] = _ = cases",
        "crime = [crime] = _ = crimes",
        "victim = [victim] = _ = victims",
        "recommendation = [recommendation] = _ = recommendations",
        "KZT = [currency_KZT] = _ = tenge",
        "USD = [currency_USD] = _ = US_dollar",
        "MCI = [index_MCI] = _ = monthly_calculation_index",
    ],
    "words": {"tenge": "KZT", "US dollars": "USD", "dollars": "USD", "MCI": "MCI"},
}

WriteBase = Callable[..., tuple[Path, Path]]
MakeFact = Callable[..., dict[str, Any]]
CheckBase = Callable[..., kzfacts.Report]


def dump(content: object) -> str:
    """YAML text for ``content``: a string is written verbatim, anything else is dumped."""
    if isinstance(content, str):
        return content
    return yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=10_000)


def source_text(paragraphs: Sequence[str]) -> str:
    """A numbered source: ``1. first\\n2. second\\n``."""
    return "".join(f"{i}. {text}\n" for i, text in enumerate(paragraphs, start=1))


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def write_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WriteBase:
    """Write ``facts/`` and ``rules/`` below ``tmp_path`` (also made the working directory).

    ``write_base(paragraphs, facts, rules=None, *, units=..., not_claims=None,
    reference=None, document=None, source=None) -> (facts_dir, rules_dir)``

    * ``paragraphs``: the texts of paragraphs 1..N (ignored when ``source`` is given).
    * ``facts`` / ``rules``: file name (relative to the folder) -> YAML text or data.
    * ``document``: fields merged over the default ``document.yaml`` (title, sha256 of
      the source as written).

    Files are displayed relative to ``tmp_path`` in error messages (``facts/p01.yaml``).
    """
    monkeypatch.chdir(tmp_path)

    def write(
        paragraphs: Sequence[str],
        facts: Mapping[str, object],
        rules: Mapping[str, object] | None = None,
        *,
        units: object = DEFAULT_UNITS,
        not_claims: object | None = None,
        reference: object | None = None,
        document: Mapping[str, object] | None = None,
        source: str | None = None,
    ) -> tuple[Path, Path]:
        facts_dir = tmp_path / "facts"
        rules_dir = tmp_path / "rules"
        facts_dir.mkdir(exist_ok=True)
        rules_dir.mkdir(exist_ok=True)
        text = source if source is not None else source_text(paragraphs)
        (facts_dir / "source.txt").write_bytes(text.encode("utf-8"))
        doc: dict[str, object] = {"title": "A test document", "source": "source.txt",
                                  "sha256": sha256_of(text)}
        doc.update(document or {})
        (facts_dir / "document.yaml").write_text(dump(doc), encoding="utf-8")
        (facts_dir / "units.yaml").write_text(dump(units), encoding="utf-8")
        if not_claims is not None:
            (facts_dir / "not_claims.yaml").write_text(dump(not_claims), encoding="utf-8")
        if reference is not None:
            (facts_dir / "reference.yaml").write_text(dump(reference), encoding="utf-8")
        for name, content in facts.items():
            (facts_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (facts_dir / name).write_text(dump(content), encoding="utf-8")
        for name, content in (rules or {}).items():
            (rules_dir / name).write_text(dump(content), encoding="utf-8")
        return facts_dir, rules_dir

    return write


@pytest.fixture
def make_fact() -> MakeFact:
    """``make_fact(id, value, unit, quote, written=None, *, kind="count", **more) -> dict``.

    A fact record with a subject filled in; ``written`` defaults to the whole quote and is
    left out when None.
    """

    def fact(
        fact_id: str,
        value: object,
        unit: str | None,
        quote: str,
        written: str | None = None,
        *,
        kind: str = "count",
        **more: object,
    ) -> dict[str, Any]:
        record: dict[str, Any] = {"id": fact_id, "kind": kind}
        if value is not None:
            record["value"] = value
        if unit is not None:
            record["unit"] = unit
        record["subject"] = f"the subject of {fact_id}"
        record["quote"] = quote
        if written is not None:
            record["written"] = written
        record.update(more)
        return record

    return fact


@pytest.fixture
def check_base(write_base: WriteBase) -> CheckBase:
    """``check_base(paragraphs, facts, rules, **write_base options) -> Report``.

    ``facts`` is a mapping paragraph number -> list of fact records (one file per
    paragraph), ``rules`` a list of rule records (one file). No baseline.
    """

    def run(paragraphs: Sequence[str], facts: Mapping[int, Sequence[Mapping[str, Any]]],
            rules: Sequence[Mapping[str, Any]], **options: Any) -> kzfacts.Report:
        files = {f"p{n:02d}.yaml": {"paragraph": n, "facts": list(records)}
                 for n, records in facts.items()}
        facts_dir, rules_dir = write_base(paragraphs, files, {"rules.yaml": {"rules": list(rules)}},
                                          **options)
        return kzfacts.check(facts_dir, rules_dir, baseline=None)

    return run
