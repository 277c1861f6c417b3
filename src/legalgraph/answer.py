"""One plain-language sentence that answers "is this substance legal there, on that day?".

Built from a :class:`~legalgraph.lookup.StatusReport`: the control level of the status in
force, its medical use, and the therapeutic authorizations in force that make exceptions to it
("MDMA is prohibited in Australia, except that since 1 July 2023 prescribers authorised by the
TGA may prescribe it for PTSD."). A derived status says it comes from the treaty; no status
says so plainly. Nothing here guesses: every clause comes from a record.
"""

from __future__ import annotations

import re
from datetime import date

from legalgraph.lookup import Record, StatusReport
from legalgraph.namespaces import LG

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def long_date(day: date) -> str:
    """1 July 2023."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def stated_date(record: Record) -> str | None:
    """The start date with the precision the source has: 1 July 2023, June 2022, 2014."""
    stated = record.stated_from
    if stated:
        if re.fullmatch(r"\d{4}", stated):
            return stated
        if re.fullmatch(r"\d{4}-\d{2}", stated):
            year, month = stated.split("-")
            return f"{_MONTHS[int(month) - 1]} {year}"
    return long_date(record.valid_from) if record.valid_from else None


_NO_ARTICLE = ("Health Canada", "Swissmedic", "Medsafe", "INFARMED")
_THE_ENDINGS = ("Islands", "Republic", "States", "Kingdom", "Emirates", "Union", "Nations",
                "Territory")
_THE_NAMES = ("Netherlands", "Philippines", "Bahamas", "Gambia", "Maldives", "Comoros",
              "Seychelles", "Holy See", "Czech Republic", "Democratic Republic of the Congo")


def plain(name: str) -> str:
    """A name without its parenthetical parts: 'MDMA (3,4-...)' -> 'MDMA'."""
    shorter = re.sub(r"\s*\([^)]*\)", "", name).strip()
    return shorter or name


def place_name(name: str) -> str:
    """A place as it reads in a sentence: 'the Netherlands', 'the United States', 'Oregon'."""
    if name.startswith(_THE_NAMES) or name.endswith(_THE_ENDINGS) or name.startswith("United "):
        return "the " + name
    return name


def _authority(name: str) -> str:
    short = plain(name)
    return short if short.startswith(_NO_ARTICLE) else "the " + short


def _indication(text: str) -> str:
    """Lower-case a capitalised common word ('General anaesthetic'), keep acronyms (PTSD)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_LEVEL = {
    str(LG.ProhibitedExceptResearch): ("{is_} prohibited in {place} except for research", True),
    str(LG.StrictMedicalControl): ("{is_} under strict medical control in {place}", False),
    str(LG.PrescriptionMedicine): ("{is_} a prescription medicine in {place}", False),
    str(LG.NotControlled): ("{is_} not controlled by drug law in {place}", False),
    str(LG.ControlledLevelNotStated): ("{is_} controlled in {place}", False),
}

_NO_PRESCRIBING = {str(LG.MedicalUseNone), str(LG.MedicalUseResearchOnly)}


def _access_clause(record: Record, past: bool) -> str | None:
    """'since 1 July 2023 prescribers authorised by the TGA may prescribe it for PTSD'."""
    kind = record.iri_of("lg:accessType")
    status = record.iri_of("lg:authorizationStatus")
    if status not in (None, str(LG.Granted)):
        return None
    may = "could" if past else "may"
    authority = record.get("lg:authority")
    by = f" by {_authority(authority)}" if authority else ""
    indication = record.get("lg:indication")
    for_what = f" for {_indication(indication)}" if indication else ""
    product = plain(record.get("lg:product") or "") or None
    if kind == str(LG.AuthorisedPrescriber):
        clause = f"prescribers authorised{by} {may} prescribe it{for_what}"
    elif kind in (str(LG.SpecialAccess), str(LG.CompassionateUse), str(LG.ExpandedAccess)):
        label = record.get("lg:accessType") or "special access"
        clause = f"patients {may} receive it through {label}{for_what}"
        if authority:
            clause += f" (approved by {_authority(authority)})"
    elif kind == str(LG.ApprovedMedicine):
        name = product or "a medicine containing it"
        is_ = "was" if past else "is"
        clause = f"{name} {is_} an approved medicine{for_what}"
        if authority:
            clause += f" (authorised by {_authority(authority)})"
    elif kind == str(LG.SupervisedServices):
        clause = f"licensed services {may} administer it under supervision"
    else:
        return None
    since = stated_date(record)
    return f"since {since} {clause}" if since else clause


def _exceptions(report: StatusReport, past: bool, limit: int = 2) -> list[str]:
    """The clauses of the authorizations in force, oldest first, without repeats."""
    seen: dict[str, str] = {}
    in_force = report.in_force(report.authorizations)
    approved = [r for r in in_force if r.iri_of("lg:accessType") == str(LG.ApprovedMedicine)
                and r.iri_of("lg:authorizationStatus") in (None, str(LG.Granted))]
    if len(approved) > 1:
        authorities = {plain(r.get("lg:authority") or "") for r in approved}
        by = f" from {_authority(authorities.pop())}" if len(authorities) == 1 else ""
        are = "were" if past else "are"
        seen["approved"] = (f"{len(approved)} marketing authorisations{by} for medicines "
                            f"containing it {are} in force (listed below)")
        in_force = [r for r in in_force if r not in approved]
    for record in in_force:
        clause = _access_clause(record, past)
        if clause:
            body = re.sub(r"^since [^ ]+( [^ ]+)?( \d{4})? ", "", clause)
            seen.setdefault(body, clause)
    clauses = list(seen.values())
    if len(clauses) > limit:
        more = len(clauses) - limit
        clauses = [*clauses[:limit], f"{more} more authorization{'s' if more > 1 else ''} "
                   "(listed below)"]
    return clauses


def sentence(report: StatusReport, today: date | None = None) -> str:
    """The answer in one or two plain sentences."""
    return _capital(_sentence(report, today or date.today()))


def _sentence(report: StatusReport, today: date) -> str:
    past = report.as_of < today
    is_ = "was" if past else "is"
    substance, place = plain(report.substance.label), place_name(report.place.label)
    status = report.status
    exceptions = _exceptions(report, past)
    if status is None and report.parent_report is not None:
        parent = report.parent_report
        if parent.status is not None:
            base = _capital(_sentence(parent, today).rstrip("."))
            own = f"The graph has no status record of {substance} for {place} itself. "
            local = [(place, exceptions)] + [
                (place_name(r.place.label), _exceptions(r, past)) for r in report.between
            ]
            buts = [f"in {where}, " + "; ".join(found) for where, found in local if found]
            if buts:
                return f"{own}{base}; but " + "; and ".join(buts) + "."
            return f"{own}Under the law of {place_name(parent.place.label)}: {base}."
    if status is None:
        when = f" on {long_date(report.as_of)}" if report.as_of != today else ""
        text = f"the graph has no record of the status of {substance} in {place}{when}."
        if report.contains:
            names = [plain(m.label) for m in report.contains]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            verb = "contain" if substance.endswith("s") else "contains"
            text += (f" {_capital(substance)} {verb} {listed}; the law may treat them "
                     "differently, so their status is not carried over.")
        return text
    level = status.iri_of("lg:controlLevel")
    template, research_only = _LEVEL.get(level or "", ("{is_} controlled in {place}", False))
    medical = status.iri_of("lg:medicalUse")
    if status.derived:
        treaty = status.get("lg:instrument") or "the treaty"
        treaty = treaty if treaty.lower().startswith("the ") else "the " + treaty
        level_label = status.get("lg:controlLevel") or "controlled"
        must = "had to" if past else "must"
        return (
            f"no national source for {substance} in {place} is recorded yet. As a party to "
            f"{treaty}, {place} {must} control {substance} at least as its "
            f"{status.get('lg:treatyFloor') or 'schedule'} requires ({level_label})."
        )
    if exceptions and (medical == str(LG.MedicalUseRestrictedPrescribing) or research_only):
        but = "; ".join(exceptions)
        return f"{substance} {is_} prohibited in {place}, except that {but}."
    text = f"{substance} " + template.format(is_=is_, place=place)
    if level == str(LG.ControlledLevelNotStated) and status.get("lg:schedule"):
        text += f" (listed in {status.get('lg:schedule')}; the source does not say how strictly)"
    if medical in _NO_PRESCRIBING:
        text += "; it " + ("could" if past else "may") + " not be prescribed"
    elif exceptions:
        text += "; " + "; ".join(exceptions)
    return text + "."
