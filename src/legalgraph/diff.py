"""What a data change changes: answers, records and validation, between two versions of the data.

A version is a folder of Turtle data, or a git revision of a repository (its ``ontology/`` and
``data/`` are read from the revision; a revision without ``ontology/`` uses the shipped one).
Both are loaded with the current rules and checked with the current shapes, so the differences
come from the data alone.

- **Answers**: for each substance and place a changed record is about (every substance for a
  record about none, such as a treaty participation), the answer of the public
  :class:`~legalgraph.compare.Comparer` on each day that matters for that pair (today, every
  start and end of a changed record about it, and the day before the earliest), old against new,
  field by field. An edit that touches only what no answer shows (notes, ``lg:lastVerified``)
  asks nothing.
- **Records**: curated records and unverified claims added, removed or edited (with the
  properties that changed).
- **Validation**: results that appear and results that are gone.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from legalgraph import formats, paths, queries
from legalgraph import validate as validation
from legalgraph.compare import Comparer
from legalgraph.errors import InputError
from legalgraph.namespaces import ID, LG, PREFIXES
from legalgraph.shacl_report import ValidationResult, compact
from legalgraph.store import Store, Term

FOLDER = Path(__file__).resolve().parent / "review"
FORMATS = ("text", "markdown", "json")
ANSWER_FIELDS = (
    "basis", "control_level", "national_schedule", "medical_use", "therapeutic_access",
    "research_exemption", "valid_from", "valid_until", "confidence", "source_url",
)
"""The fields of an answer compared between the versions (those the answer has)."""


@dataclass(frozen=True)
class Version:
    """One side of the comparison: what was asked for, and the Turtle files it holds."""

    spec: str
    label: str
    files: list[Path]


@dataclass(frozen=True)
class AnswerChange:
    """An answer that differs: one substance in one place on the listed days."""

    substance: str
    place: str
    name: str
    days: list[date]
    changes: dict[str, tuple[Any, Any]]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: days as ISO dates, each change as ``{"before": ..., "after": ...}``."""
        return {
            "substance": self.substance, "place": self.place, "name": self.name,
            "days": [d.isoformat() for d in self.days],
            "changes": {k: {"before": _plain(a), "after": _plain(b)}
                        for k, (a, b) in self.changes.items()},
        }


@dataclass(frozen=True)
class RecordChange:
    """A record added, removed or edited; for an edit, each property's values before and after."""

    change: str
    record: str
    properties: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"change": self.change, "record": self.record,
                "properties": {k: {"before": a, "after": b}
                               for k, (a, b) in self.properties.items()}}


@dataclass(frozen=True)
class Problem:
    """One validation result, reduced to what identifies it across versions."""

    severity: str
    rule: str
    focus: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """JSON-ready."""
        return asdict(self)


@dataclass(frozen=True)
class DataDiff:
    """Everything that differs between ``old`` and ``new``."""

    old: str
    new: str
    as_of: date
    answers: list[AnswerChange]
    records: list[RecordChange]
    problems_added: list[Problem]
    problems_gone: list[Problem]
    counts: dict[str, dict[str, int]]

    def render(self, fmt: str) -> str:
        """The difference as ``text``, ``markdown`` (for a pull request) or ``json``."""
        if fmt == "json":
            return json.dumps({
                "old": self.old, "new": self.new, "as_of": self.as_of.isoformat(),
                "answers": [a.as_dict() for a in self.answers],
                "records": [r.as_dict() for r in self.records],
                "validation": {"added": [p.as_dict() for p in self.problems_added],
                               "gone": [p.as_dict() for p in self.problems_gone],
                               "counts": self.counts},
            }, indent=2, ensure_ascii=False) + "\n"
        if fmt == "markdown":
            return _markdown(self)
        if fmt == "text":
            return _text(self)
        raise InputError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")


# -- loading the two versions ---------------------------------------------------------------

@contextmanager
def checkout(spec: str, repository: Path | None = None) -> Iterator[Version]:
    """The Turtle files of ``spec``: a folder (its ``.ttl`` files, with the shipped ontology
    unless the folder holds ``ontology/``), or a git revision of ``repository`` (default: the
    repository this package is checked out in), read from the revision into a temporary folder
    that lives as long as the context."""
    folder = Path(spec)
    if folder.is_dir():
        yield Version(spec, str(folder), _files(folder))
        return
    repo = repository or paths.ROOT
    commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}").strip()
    if not commit:
        raise InputError(f"{spec!r} is neither a folder nor a revision of the git repository "
                         f"at {repo}")
    label = f"{spec} ({commit[:10]})" if not commit.startswith(spec) else commit[:10]
    with tempfile.TemporaryDirectory(prefix="legalgraph-diff-") as tmp:
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", "--format=tar", commit, "--",
             *[p for p in ("ontology", "data") if _has_path(repo, commit, p)]],
            capture_output=True, check=False,
        )
        if archive.returncode != 0:
            raise InputError(f"cannot read {spec!r} from {repo}: "
                             f"{archive.stderr.decode(errors='replace').strip()}")
        with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        root = Path(tmp)
        if not (root / "data").is_dir():
            raise InputError(f"revision {spec!r} of {repo} has no data/ folder")
        yield Version(spec, label, _files(root))


def _files(folder: Path) -> list[Path]:
    if (folder / "data").is_dir():
        ontology = (paths.turtle_files(folder / "ontology") if (folder / "ontology").is_dir()
                    else paths.turtle_files(paths.ONTOLOGY_DIR))
        return ontology + paths.turtle_files(folder / "data")
    return validation.graph_files([folder])


def _git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                              check=False)
    except OSError as error:
        raise InputError(f"cannot run git: {error}") from None
    return done.stdout if done.returncode == 0 else ""


def _has_path(repo: Path, commit: str, path: str) -> bool:
    return bool(_git(repo, "ls-tree", "--name-only", commit, "--", path).strip())


# -- the comparison --------------------------------------------------------------------------

def diff(old_spec: str, new_spec: str, *, repository: Path | None = None,
         as_of: date | None = None, shapes: Sequence[Path] = ()) -> DataDiff:
    """Compare two versions of the data (folders or git revisions)."""
    day = as_of or date.today()
    with checkout(old_spec, repository) as old_version, \
            checkout(new_spec, repository) as new_version:
        old, new = Store.load(old_version.files), Store.load(new_version.files)
        old_records, new_records = _records(old), _records(new)
        changes = _record_changes(old_records, new_records)
        answers = _answer_changes(old, new, old_records, new_records, changes, day)
        old_problems = _problems(validation.validate(old, shapes).results)
        new_problems = _problems(validation.validate(new, shapes).results)
    return DataDiff(
        old=old_version.label, new=new_version.label, as_of=day, answers=answers,
        records=changes,
        problems_added=sorted(new_problems - old_problems, key=_problem_key),
        problems_gone=sorted(old_problems - new_problems, key=_problem_key),
        counts={"old": _severities(old_problems), "new": _severities(new_problems)},
    )


Statements = dict[str, dict[str, set[Term]]]


def _records(store: Store) -> Statements:
    """record IRI -> property -> values."""
    found: Statements = defaultdict(lambda: defaultdict(set))
    for row in store.select(queries.get("diff_records", FOLDER).text):
        found[str(row["record"])][str(row["p"])].add(row["o"])
    return found


def _record_changes(old: Statements, new: Statements) -> list[RecordChange]:
    out = [RecordChange("added", _short(r)) for r in sorted(new.keys() - old.keys())]
    out += [RecordChange("removed", _short(r)) for r in sorted(old.keys() - new.keys())]
    for record in sorted(old.keys() & new.keys()):
        before, after = old[record], new[record]
        changed = {
            _curie(p): (sorted(_show(v) for v in before.get(p, set())),
                        sorted(_show(v) for v in after.get(p, set())))
            for p in sorted(before.keys() | after.keys())
            if before.get(p, set()) != after.get(p, set())
        }
        if changed:
            out.append(RecordChange("edited", _short(record), changed))
    return out


NOT_ANSWERED = {str(SKOS.editorialNote), str(SKOS.note), str(LG.note), str(LG.lastVerified),
                str(RDFS.comment), str(LG.dateNote), str(LG.subjectText)}
"""Properties no answer shows: a record whose edits touch only these changes no answer."""


def _answer_changes(old: Store, new: Store, old_records: Statements, new_records: Statements,
                    changes: list[RecordChange], day: date) -> list[AnswerChange]:
    """Answers that differ, for the substances and places the changed records are about, on
    today, the start and end days of those records and the day before the earliest of them."""
    old_items, new_items = _items(old), _items(new)
    substances = sorted(old_items["substance"] | new_items["substance"])
    asked: dict[tuple[str, str], set[date]] = defaultdict(set)  # (substance, place) -> days
    for change in changes:
        record = str(ID) + change.record
        if change.change == "edited" and not set(
                _full(p) for p in change.properties) - NOT_ANSWERED:
            continue
        for statements in (old_records.get(record), new_records.get(record)):
            if not statements:
                continue
            about = [str(s) for s in statements.get(str(LG.substance), set())] or substances
            bounds = {d for key in (LG.validFrom, LG.validUntil)
                      for v in statements.get(str(key), set()) if (d := _day(v)) is not None}
            for substance in about:
                for where in statements.get(str(LG.jurisdiction), set()):
                    asked[(substance, str(where))].update(bounds)
    by_day: dict[tuple[str, date], list[str]] = defaultdict(list)  # (substance, day) -> places
    for (substance, place), bounds in asked.items():
        days = {day} | bounds
        for when in days | {min(days) - timedelta(days=1)}:
            by_day[(substance, when)].append(place)
    found: dict[tuple[str, str, tuple[tuple[str, str, str], ...]], AnswerChange] = {}
    old_comparer, new_comparer = Comparer(old), Comparer(new)
    for (substance, when), places in sorted(by_day.items()):
        places = sorted(set(places))
        before = _answers(old_comparer, old_items, substance, places, when)
        after = _answers(new_comparer, new_items, substance, places, when)
        for place in places:
            a, b = before.get(place, {}), after.get(place, {})
            delta = {f: (a.get(f), b.get(f)) for f in ANSWER_FIELDS
                     if (f in a or f in b) and a.get(f) != b.get(f)}
            if not delta:
                continue
            key = (substance, place,
                   tuple((f, str(x), str(y)) for f, (x, y) in sorted(delta.items())))
            if key in found:
                found[key].days.append(when)
            else:
                found[key] = AnswerChange(
                    substance=_short(substance, "substance/"),
                    place=_short(place, "jurisdiction/"),
                    name=str(b.get("name") or a.get("name") or _short(place)),
                    days=[when], changes=delta)
    for answer in found.values():
        answer.days.sort()
    return sorted(found.values(), key=lambda c: (c.substance, c.place, c.days[0]))


def _answers(comparer: Comparer, items: dict[str, set[str]], substance: str,
             places: list[str], day: date) -> dict[str, dict[str, Any]]:
    """The comparer's answer for each place (those this version knows), as a dict of the
    answer's fields, by jurisdiction IRI."""
    known = [p for p in places if p in items["place"]]
    if not known or substance not in items["substance"]:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for answer in comparer.status(URIRef(substance), [URIRef(p) for p in known], day):
        fields = answer.as_dict() if hasattr(answer, "as_dict") else dict(vars(answer))
        out[str(fields.get("jurisdiction"))] = fields
    return out


def _items(store: Store) -> dict[str, set[str]]:
    """``substance`` and ``place`` -> the IRIs of that kind in ``store``."""
    found: dict[str, set[str]] = {"substance": set(), "place": set()}
    for row in store.select(queries.get("diff_items", FOLDER).text):
        found[str(row["kind"])].add(str(row["item"]))
    return found


def _problems(results: Iterable[ValidationResult]) -> set[Problem]:
    return {Problem(r.severity, compact(r.source_constraint or r.source_shape),
                    _short(str(r.focus)), r.message) for r in results}


def _problem_key(problem: Problem) -> tuple[str, str, str]:
    return (problem.severity, problem.rule, problem.focus)


def _severities(problems: set[Problem]) -> dict[str, int]:
    counts = dict.fromkeys(("Violation", "Warning", "Info"), 0)
    for problem in problems:
        counts[problem.severity] = counts.get(problem.severity, 0) + 1
    return counts


# -- small helpers -----------------------------------------------------------------------------

def _short(iri: str, prefix: str = "") -> str:
    base = str(ID) + prefix
    return iri[len(base):] if iri.startswith(base) else iri


def _full(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and local else curie


def _curie(iri: str) -> str:
    for prefix, base in PREFIXES.items():
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri


def _show(term: Term) -> str:
    if isinstance(term, URIRef):
        text = str(term)
        return _short(text) if text.startswith(str(ID)) else _curie(text)
    return str(term)


def _day(term: Term) -> date | None:
    value = term.toPython() if isinstance(term, Literal) else None
    return value if isinstance(value, date) else None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _value(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    return _plain(value) if not isinstance(value, date) else value.isoformat()


def _days(days: list[date], today: date) -> str:
    shown = [("today" if d == today else d.isoformat()) for d in days]
    return ", ".join(shown)


# -- rendering ---------------------------------------------------------------------------------

def _text(d: DataDiff) -> str:
    lines = [f"legalgraph diff {d.old} -> {d.new} (answers as of {d.as_of.isoformat()})", ""]
    lines.append(f"Answers that change: {len(d.answers)}")
    for a in d.answers:
        lines.append(f"  {a.substance} in {a.name} ({a.place}), on {_days(a.days, d.as_of)}:")
        for name, (before, after) in a.changes.items():
            lines.append(f"      {name}: {_clip(_value(before))} -> {_clip(_value(after))}")
    lines += ["", _record_summary(d)]
    for r in d.records:
        lines.append(f"  {r.change:8} {r.record}")
        for name, (before, after) in r.properties.items():
            lines.append(f"      {name}: {_clip('; '.join(before) or '(none)')} -> "
                         f"{_clip('; '.join(after) or '(none)')}")
    lines += ["", _validation_summary(d)]
    for sign, problems in (("+", d.problems_added), ("-", d.problems_gone)):
        for p in problems:
            lines.append(f"  {sign} {p.severity} {p.rule} {p.focus}")
    return "\n".join(lines) + "\n"


def _markdown(d: DataDiff) -> str:
    parts = [f"### Data change: `{d.old}` → `{d.new}`", "",
             f"Answers as of {d.as_of.isoformat()}. {_record_summary(d)}. "
             f"{_validation_summary(d)}.", "", f"#### Answers that change ({len(d.answers)})", ""]
    rows = [{"substance": a.substance, "place": f"{a.name} ({a.place})",
             "days": _days(a.days, d.as_of), "field": name,
             "before": _clip(_value(before)), "after": _clip(_value(after))}
            for a in d.answers for name, (before, after) in a.changes.items()]
    parts.append(formats.render(rows, ("substance", "place", "days", "field", "before",
                                       "after"), "markdown").rstrip("\n")
                 if rows else "None.")
    parts += ["", f"#### Records ({len(d.records)})", ""]
    record_rows = [{"change": r.change, "record": f"`{r.record}`",
                    "what changed": ", ".join(r.properties) or ""} for r in d.records]
    parts.append(formats.render(record_rows, ("change", "record", "what changed"),
                                "markdown").rstrip("\n") if record_rows else "None.")
    parts += ["", "#### Validation", ""]
    problem_rows = [{"": sign, "severity": p.severity, "rule": p.rule, "focus": f"`{p.focus}`"}
                    for sign, problems in (("new", d.problems_added), ("gone", d.problems_gone))
                    for p in problems]
    parts.append(formats.render(problem_rows, ("", "severity", "rule", "focus"),
                                "markdown").rstrip("\n") if problem_rows else "No change.")
    return "\n".join(parts) + "\n"


def _record_summary(d: DataDiff) -> str:
    count = {k: sum(1 for r in d.records if r.change == k) for k in ("added", "removed",
                                                                      "edited")}
    return (f"Records: {count['added']} added, {count['removed']} removed, "
            f"{count['edited']} edited")


def _validation_summary(d: DataDiff) -> str:
    old, new = d.counts["old"], d.counts["new"]
    return (f"Validation: violations {old['Violation']} -> {new['Violation']}, warnings "
            f"{old['Warning']} -> {new['Warning']} ({len(d.problems_added)} new, "
            f"{len(d.problems_gone)} gone)")


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"
