"""Plain-text tables: rows of figures under a header, with a total row or column.

Two layouts are read: cells between pipes (``| Region | 2021 | 2022 | Total |``) and columns
aligned with two or more spaces. Each figure becomes a fact quoted by its row's label and the
cells before it; a total row or column gives one sum per column or row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kzfacts.draft.extract import ParagraphMentions
from kzfacts.draft.library import Reading, read_number
from kzfacts.draft.model import DraftFact, DraftRule
from kzfacts.draft.text import slug, unique_quote
from kzfacts.draft.vocab import Vocabulary

__all__ = ["tables"]

_TOTAL = re.compile(r"^\s*(?:total|totals|all|overall|sum|in\s+total|grand\s+total)\b", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass
class _Cell:
    start: int
    end: int
    text: str


@dataclass
class _Row:
    line_start: int
    cells: list[_Cell]


def _split_pipes(line: str, offset: int) -> list[_Cell] | None:
    if line.count("|") < 2:
        return None
    cells = []
    for m in re.finditer(r"[^|]+", line):
        inner = m.group()
        stripped = inner.strip()
        if not stripped and m.start() == 0:
            continue
        lead = len(inner) - len(inner.lstrip())
        cells.append(_Cell(offset + m.start() + lead, offset + m.start() + lead + len(stripped), stripped))
    if cells and not cells[-1].text:
        cells.pop()
    return cells


def _split_aligned(line: str, offset: int) -> list[_Cell] | None:
    parts = list(re.finditer(r"\S(?:.*?\S)?(?=\s{2,}|\s*$)", line))
    if len(parts) < 3:
        return None
    return [_Cell(offset + m.start(), offset + m.end(), m.group()) for m in parts]


def _blocks(text: str) -> list[list[_Row]]:
    """Runs of at least three consecutive table-like lines with the same number of cells."""
    out: list[list[_Row]] = []
    run: list[_Row] = []
    width = -1
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if re.fullmatch(r"[|:\-\s+=]+", stripped) and "-" in stripped:  # a rule line
            offset += len(line) + 1
            continue
        cells = _split_pipes(line, offset) or (_split_aligned(line, offset) if "  " in line.strip() else None)
        if cells is not None and (not run or len(cells) == width):
            run.append(_Row(offset, cells))
            width = len(cells)
        else:
            if len(run) >= 3:
                out.append(run)
            run = [_Row(offset, cells)] if cells is not None else []
            width = len(cells) if cells is not None else -1
        offset += len(line) + 1
    if len(run) >= 3:
        out.append(run)
    return out


def _number(cell: _Cell, *, decimal_comma: bool | None) -> Reading | None:
    if not re.search(r"\d", cell.text) or re.search(r"[A-Za-z]{2,}", cell.text):
        return None
    try:
        return read_number(cell.text, decimal_comma=decimal_comma)
    except ValueError:
        return None


def tables(paragraphs: list[ParagraphMentions], vocab: Vocabulary, *, decimal_comma: bool | None,
           ) -> tuple[list[DraftRule], list[DraftFact]]:
    """Facts and sums of every table of the paragraphs; their numbers leave the mentions."""
    rules: list[DraftRule] = []
    facts: list[DraftFact] = []
    for para in paragraphs:
        for block in _blocks(para.text):
            _table(para, block, vocab, decimal_comma=decimal_comma, rules=rules, facts=facts)
    return rules, facts


def _table(para: ParagraphMentions, block: list[_Row], vocab: Vocabulary, *,
           decimal_comma: bool | None, rules: list[DraftRule], facts: list[DraftFact]) -> None:
    text = para.text
    header, body = block[0], block[1:]
    if any(_number(c, decimal_comma=decimal_comma) is not None and not _YEAR.match(c.text)
           for c in header.cells):
        return  # no header row
    width = len(header.cells)
    readings: list[list[Reading | None]] = [
        [_number(c, decimal_comma=decimal_comma) for c in row.cells] for row in body]
    numeric = [j for j in range(1, width) if all(r[j] is not None for r in readings)]
    if not numeric:
        return
    caption_start = max(text.rfind("\n", 0, header.line_start - 1), 0)
    caption = text[max(0, caption_start - 200):header.line_start]
    noun = re.search(r"\b(?:number\s+of|numbers\s+of)\s+([A-Za-z]+)", caption, re.I)
    unit = vocab.noun_unit(noun.group(1)) if noun else (
        vocab.noun_unit(header.cells[0].text) if re.fullmatch(r"[A-Za-z]+s", header.cells[0].text)
        else "item")
    percent_cols = {j for j in numeric if "%" in header.cells[j].text or any(
        r[j] is not None and r[j].unit == "percent" for r in readings)}  # type: ignore[union-attr]
    tid = f"p{para.number:02d}.table"
    ids: dict[tuple[int, int], str] = {}
    for i, row in enumerate(body):
        label = row.cells[0].text
        for j in numeric:
            cell = row.cells[j]
            reading = readings[i][j]
            assert reading is not None
            column = header.cells[j].text
            ident = f"{tid}.{slug(label, limit=2) or f'row{i + 1}'}.{slug(column, limit=2) or f'c{j}'}"
            if _YEAR.match(column):
                ident = f"{tid}.{slug(label, limit=2) or f'row{i + 1}'}.{column}"
            label_span = (row.cells[0].start, row.cells[0].end)
            span = unique_quote(text, (cell.start, cell.end), include=[label_span])
            if span is None:
                continue
            kind = "share" if j in percent_cols else "count"
            period = column if _YEAR.match(column) else None
            facts.append(DraftFact(ident, kind, para.number, f"{label}, {column}", text[span[0]:span[1]],
                                   value=reading.value, unit="percent" if kind == "share" else unit,
                                   written=cell.text, period=period, qualifier=reading.qualifier.value))
            ids[(i, j)] = ident
            para.covered.append((cell.start, cell.end))
    _take(para, block)
    header_text = text[header.cells[0].start:header.cells[-1].end]
    if re.search(r"\d", header_text):
        para.not_claims.append((header.cells[0].start, header.cells[-1].end,
                                "a table's header: its years are the periods of the column's facts"))
    vocab.declare(unit, "count", plural=unit + "s")
    total_rows = [i for i, row in enumerate(body) if _TOTAL.match(row.cells[0].text)]
    total_cols = [j for j in numeric if _TOTAL.match(header.cells[j].text)]
    add: Callable[..., None] = lambda *a: _sum(rules, para.number, *a)  # noqa: E731
    sums = [j for j in numeric if j not in percent_cols]
    for t in total_rows[:1]:
        for j in sums:
            parts = [ids.get((i, j)) for i in range(len(body)) if i not in total_rows]
            add(parts, ids.get((t, j)), f"the column {header.cells[j].text!r}")
    for t in total_cols[:1]:
        for i in range(len(body)):
            parts = [ids.get((i, j)) for j in sums if j not in total_cols]
            add(parts, ids.get((i, t)), f"the row {body[i].cells[0].text!r}")


def _take(para: ParagraphMentions, block: list[_Row]) -> None:
    """The table's numbers are its facts', not mentions of the text."""
    lo = block[0].cells[0].start
    hi = block[-1].cells[-1].end
    para.mentions[:] = [m for m in para.mentions if not (lo <= m.start < hi)]


def _sum(rules: list[DraftRule], paragraph: int, parts: list[str | None], total: str | None,
         what: str) -> None:
    if total is None or len(parts) < 2 or any(p is None for p in parts):
        return
    clean = [p for p in parts if p is not None]
    n = sum(1 for r in rules if r.paragraphs == (paragraph,)) + 1
    rules.append(DraftRule(f"draft.p{paragraph:02d}.table-{n}", "sum",
                           f"The cells of {what} add up to its total", "error", (paragraph,),
                           f"The table's total of {what} is the sum of its cells.",
                           f"table: the total of {what}",
                           {"parts": clean, "total": total, "relation": "eq"}, (*clean, total)))
