"""Write one benchmark's section of bench/README.md, keeping the other sections."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def write_section(heading: str, text: str, readme: Path = README) -> None:
    """Replace the section that starts with ``heading`` (e.g. ``## Scale``) by ``text``, which
    starts with that heading; append it when the file has no such section yet."""
    current = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(current):
        current = pattern.sub(lambda _: text.rstrip("\n") + "\n\n", current)
    else:
        current = current.rstrip("\n") + "\n\n" + text
    readme.write_text(current.rstrip("\n") + "\n", encoding="utf-8")
