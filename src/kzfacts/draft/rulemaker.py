"""What every pattern of the drafter writes a candidate rule with: the collector of rules
(each once, with an id per paragraph) and how a rule quotes the words and figures it read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kzfacts.draft.extract import Mention
from kzfacts.draft.model import DraftRule

__all__ = ["RuleMaker", "para_number", "said", "same", "shown"]


def said(text: str, limit: int = 90) -> str:
    """Words of the text as a rule quotes them: one line, cut at ``limit`` characters."""
    words = " ".join(text.split())
    if len(words) > limit:
        words = words[:limit].rsplit(" ", 1)[0] + " …"
    return f"\u201c{words}\u201d"


def shown(m: Mention) -> str:
    """A figure as the text writes it."""
    return " ".join(m.written.split())


def same(a: Mention, b: Mention) -> bool:
    """Two drafted figures a rule may compare as they are: one kind, one unit."""
    return a.kind == b.kind and a.unit == b.unit and bool(a.id) and bool(b.id)


def para_number(m: Mention) -> int:
    """The paragraph of a drafted figure, from its id (``p12.…``)."""
    return int(m.id[1:3]) if m.id[1:3].isdigit() else int(m.id[1:].split(".")[0])


class RuleMaker:
    """Collects the rules of a draft, each id once."""

    def __init__(self) -> None:
        self.rules: list[DraftRule] = []
        self._seen: set[tuple[str, tuple[str, ...], str]] = set()
        self._count: dict[int, int] = defaultdict(int)

    def add(self, kind: str, paragraphs: Iterable[int], title: str, why: str, drafted: str,  # noqa: PLR0917
            fields: dict[str, object], uses: Iterable[str], *, severity: str = "error") -> None:
        """Add a rule (the arguments in the order a rule is written)."""
        uses = tuple(dict.fromkeys(uses))
        if not uses or any(not u for u in uses):
            return
        key = (kind, tuple(sorted(uses)), repr(sorted(fields.items(), key=str)))
        if key in self._seen:
            return
        self._seen.add(key)
        paras = tuple(sorted(set(paragraphs)))
        self._count[paras[0]] += 1
        rule_id = f"draft.p{paras[0]:02d}.{kind}-{self._count[paras[0]]}"
        self.rules.append(DraftRule(rule_id, kind, title, severity, paras, why, drafted,
                                    fields, uses))
