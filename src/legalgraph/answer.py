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


_LEVEL = {
    str(LG.ProhibitedExceptResearch): ("{is_} prohibited in {place} except for research", True),
    str(LG.StrictMedicalControl): ("{is_} under strict medical control in {place}", False),
    str(LG.PrescriptionMedicine): ("{is_} a prescription medicine in {place}", False),
    str(LG.NotControlled): ("{is_} not controlled by drug law in {place}", False),
    str(LG.ControlledLevelNotStated): ("{is_} controlled in {place}", False),
}

_EXCEPTION_USES = {str(LG.MedicalUseRestrictedPrescribing), str(LG.MedicalUseSpecialAccess)}
_NO_PRESCRIBING = {str(LG.MedicalUseNone), str(LG.MedicalUseResearchOnly)}


def _access_clause(record: Record, past: bool) -> str | None:
    """'since 1 July 2023 prescribers authorised by the TGA may prescribe it for PTSD'."""
    kind = record.iri_of("lg:accessType")
    status = record.iri_of("lg:authorizationStatus")
    if status not in (None, str(LG.Granted)):
        return None
    may = "could" if past else "may"
    authority = record.get("lg:authority")
    by = f" by the {authority}" if authority else ""
    indication = record.get("lg:indication")
    for_what = f" for {indication}" if indication else ""
    product = record.get("lg:product")
    if kind == str(LG.AuthorisedPrescriber):
        clause = f"prescribers authorised{by} {may} prescribe it{for_what}"
    elif kind in (str(LG.SpecialAccess), str(LG.CompassionateUse), str(LG.ExpandedAccess)):
        label = record.get("lg:accessType") or "special access"
        clause = f"patients {may} receive it through {label}{for_what}"
        if authority:
            clause += f" (approved by the {authority})"
    elif kind == str(LG.ApprovedMedicine):
        name = product or "a medicine containing it"
        is_ = "was" if past else "is"
        clause = f"{name} {is_} an approved medicine{for_what}"
        if authority:
            clause += f" (authorised by the {authority})"
    elif kind == str(LG.SupervisedServices):
        clause = f"licensed services {may} administer it under supervision"
    else:
        return None
    since = stated_date(record)
    return f"since {since} {clause}" if since else clause


def sentence(report: StatusReport, today: date | None = None) -> str:
    """The answer in one or two plain sentences."""
    today = today or date.today()
    past = report.as_of < today
    is_ = "was" if past else "is"
    substance, place = report.substance.label, report.place.label
    status = report.status
    exceptions = [
        c for c in (_access_clause(a, past) for a in report.in_force(report.authorizations)) if c
    ]
    if status is None and report.parent_report is not None:
        parent = report.parent_report
        if parent.status is not None:
            base = sentence(parent, today).rstrip(".")
            tail = f" in {place}, " + "; ".join(exceptions) if exceptions else ""
            own = f"The graph has no status record of {substance} for {place} itself. "
            if tail:
                return f"{own}{base}; but{tail}."
            return f"{own}Under the law of {parent.place.label}: {base}."
    if status is None:
        when = f" on {long_date(report.as_of)}" if report.as_of != today else ""
        return f"The graph has no record of the status of {substance} in {place}{when}."
    level = status.iri_of("lg:controlLevel")
    template, research_only = _LEVEL.get(level or "", ("{is_} controlled in {place}", False))
    medical = status.iri_of("lg:medicalUse")
    if status.derived:
        treaty = status.get("lg:instrument") or "the treaty"
        level_label = status.get("lg:controlLevel") or "controlled"
        must = "had to" if past else "must"
        return (
            f"No national source for {substance} in {place} is recorded yet. As a party to "
            f"{treaty}, {place} {must} control {substance} at least as its "
            f"{status.get('lg:treatyFloor') or 'schedule'} requires ({level_label})."
        )
    if exceptions and (medical in _EXCEPTION_USES or research_only):
        but = "; ".join(exceptions)
        return f"{substance} {is_} prohibited in {place}, except that {but}."
    text = f"{substance} " + template.format(is_=is_, place=place)
    if medical in _NO_PRESCRIBING:
        text += "; it " + ("could" if past else "may") + " not be prescribed"
    elif exceptions:
        text += "; " + "; ".join(exceptions)
    return text + "."
