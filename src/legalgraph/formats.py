"""Render rows of plain values as a text table, CSV, TSV, JSON or Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

TABLE_FORMATS = ("table", "csv", "tsv", "json", "markdown")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def render(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """``rows`` as ``fmt`` (one of :data:`TABLE_FORMATS`), columns in the given order."""
    if fmt == "json":
        return json.dumps(
            [{c: row.get(c) for c in columns} for row in rows], indent=2, default=_text,
            ensure_ascii=False,
        ) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_text(row.get(c)) for c in columns])
        return buffer.getvalue()
    cells = [[_text(row.get(c)).replace("\n", " ") for c in columns] for row in rows]
    if fmt == "markdown":
        escape = [[cell.replace("|", "\\|") for cell in line] for line in cells]
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(line) + " |" for line in escape]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        widths = [len(c) for c in columns]
        for line in cells:
            widths = [max(w, min(len(cell), 60)) for w, cell in zip(widths, line, strict=True)]

        def fit(cell: str, width: int) -> str:
            return (cell if len(cell) <= width else cell[: width - 1] + "…").ljust(width)

        out = ["  ".join(fit(c, w) for c, w in zip(columns, widths, strict=True)).rstrip()]
        out.append("  ".join("-" * w for w in widths))
        out += ["  ".join(fit(c, w) for c, w in zip(line, widths, strict=True)).rstrip()
                for line in cells]
        return "\n".join(out) + "\n"
    raise ValueError(f"unknown format {fmt!r}")
