"""The changes of a period as a reader scans them: one line per change.

When a record ends on the day another of the same kind starts for the same substance and place
(Schedule 9 ends, Schedule 8 starts), that is one change, "from ... to ...", not an "ended" and
a "started" line. Everything else is a line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from legalgraph.compare import Change


@dataclass(frozen=True)
class ChangeLine:
    """One change: what held before (if it ended) and what holds after (if it started)."""

    before: Change | None
    after: Change | None

    @property
    def subject(self) -> Change:
        """The record that names the substance, the place and the day."""
        found = self.after or self.before
        assert found is not None
        return found

    @property
    def replaced(self) -> bool:
        """One record ended and another started: a change from one to the other."""
        return self.before is not None and self.after is not None


def change_lines(rows: Sequence[Change]) -> list[ChangeLine]:
    """``rows`` (newest first) as lines, each ended-and-started pair joined, order kept."""
    groups: dict[tuple[object, ...], list[Change]] = {}
    for row in rows:
        groups.setdefault((row.date, row.substance, row.jurisdiction, row.kind), []).append(row)
    lines: list[ChangeLine] = []
    for group in groups.values():
        if len(group) == 1 and group[0].change == "replaced":  # the engine joined the pair
            joined = group[0]  # its summary reads "before → after"
            before = replace(joined, change="ended", summary=joined.replaces_summary,
                             record=joined.replaces or joined.record)
            after = replace(joined, summary=(joined.summary or "").removeprefix(
                f"{joined.replaces_summary} → ") or None)
            lines.append(ChangeLine(before, after))
            continue
        ended = [c for c in group if c.change == "ended"]
        started = [c for c in group if c.change == "started"]
        if len(ended) == 1 and len(started) == 1 and len(group) == 2:
            lines.append(ChangeLine(ended[0], started[0]))
            continue
        lines.extend(ChangeLine(c if c.change == "ended" else None,
                                c if c.change != "ended" else None) for c in group)
    return lines
