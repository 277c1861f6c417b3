"""One plain-language sentence that answers "is this substance legal there, on that day?".

Built from the engine's :class:`~legalgraph.engine.Answer` (carried by a
:class:`~legalgraph.lookup.StatusReport`): the control level of the record that holds, its
medical use, the access routes and exceptions in force with their scope ("MDMA is prohibited
in Australia, except that since 1 July 2023 prescribers authorised by the TGA may prescribe it
for PTSD."), and why when nothing holds. A derived status says which rule made it; no status
says why. Nothing here decides what holds: every clause comes from the engine's answer.
"""

from __future__ import annotations

import re
from datetime import date

from legalgraph.engine import Answer, Applied, Basis, Fact, Place, long_date
from legalgraph.lookup import StatusReport
from legalgraph.namespaces import LG

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def stated_date(fact: Fact) -> str | None:
    """The start date with the precision the source has: 1 July 2023, June 2022, 2014; a start
    known only from the sources' as-of date reads "at least 3 February 2023"."""
    stated = fact.stated_from
    if stated and fact.valid_from is not None:
        if re.fullmatch(r"\d{4}", stated):
            return stated
        if re.fullmatch(r"\d{4}-\d{2}", stated):
            year, month = stated.split("-")
            return f"{_MONTHS[int(month) - 1]} {year}"
    if fact.valid_from is not None:
        return long_date(fact.valid_from)
    if fact.start is not None:
        return f"at least {long_date(fact.start)}"
    return None


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


def _access_clause(fact: Fact, past: bool) -> str | None:
    """'since 1 July 2023 prescribers authorised by the TGA may prescribe it for PTSD'.

    Only a granted authorization reads as access (the engine lists no other)."""
    if not fact.granted:
        return None
    kind = fact.access_type.iri if fact.access_type else None
    may = "could" if past else "may"
    authority = fact.authority.label if fact.authority else None
    by = f" by {_authority(authority)}" if authority else ""
    indication = fact.indication
    for_what = (f" for {_indication(indication)}"
                if indication and not indication.lower().startswith("none") else "")
    product = plain(fact.product or "") or None
    if kind == str(LG.AuthorisedPrescriber):
        clause = f"prescribers authorised{by} {may} prescribe it{for_what}"
    elif kind in (str(LG.SpecialAccess), str(LG.CompassionateUse), str(LG.ExpandedAccess)):
        label = fact.access_type.label if fact.access_type else "special access"
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
    since = stated_date(fact)
    return f"since {since} {clause}" if since else clause


_EXCEPTION_WORDS = {
    "religious": "religious use is exempt",
    "traditional": "traditional use is exempt",
    "exemption": "an exemption applies",
}


def _exception_clause(applied: Applied, past: bool) -> str:
    """'possession is legal, regulated (only within licensed services) since 2 January 2023'."""
    fact = applied.fact
    is_ = "was" if past else "is"
    if fact.kind.value == "penalty" and fact.possession is not None:
        text = f"possession {is_} {fact.possession.label}"
    else:
        text = _EXCEPTION_WORDS.get(applied.kind, "an exemption applies")
        text = text.replace(" is ", f" {is_} ") if past else text
        if past:
            text = text.replace("applies", "applied")
    scope = applied.scope
    if scope and scope.lower() not in text.lower():
        text += f" ({scope})"
    since = stated_date(fact)
    return f"{text} since {since}" if since else text


def _clauses(answer: Answer, past: bool, where: str | None = None, limit: int = 2) -> list[str]:
    """The access routes and exceptions in force (of ``where`` only, when given), oldest
    first, without repeats."""
    def mine(applied: Applied) -> bool:
        return where is None or applied.place.iri == where

    access = [a for a in answer.access if mine(a)]
    seen: dict[str, str] = {}
    approved = [a for a in access if a.fact.access_type is not None
                and a.fact.access_type.iri == str(LG.ApprovedMedicine)]
    if len(approved) > 1:
        authorities = {plain(a.fact.authority.label) if a.fact.authority else ""
                       for a in approved}
        by = f" from {_authority(authorities.pop())}" if len(authorities) == 1 and \
            next(iter(authorities)) else ""
        are = "were" if past else "are"
        seen["approved"] = (f"{len(approved)} medicines containing it {are} approved "
                            f"(marketing authorisations{by}, listed below)")
        access = [a for a in access if a not in approved]
    for applied in access:
        clause = _access_clause(applied.fact, past)
        if clause:
            body = re.sub(r"^since (at least )?[^ ]+( [^ ]+)?( \d{4})? ", "", clause)
            seen.setdefault(body, clause)
    for applied in answer.exceptions:
        if mine(applied):
            clause = _exception_clause(applied, past)
            seen.setdefault(clause, clause)
    clauses = list(seen.values())
    if len(clauses) > limit + 1:
        more = len(clauses) - limit
        clauses = [*clauses[:limit], f"{more} more authorizations or exceptions (listed below)"]
    return clauses


def sentence(report: StatusReport | Answer, today: date | None = None) -> str:
    """The answer (of a report, or the engine's) in one or two plain sentences."""
    found = report.answer if isinstance(report, StatusReport) else report
    return _capital(_sentence(found, today or date.today()))


def brief(found: Answer) -> str:
    """The answer in a few words, for a list of places: 'prohibited except research (derived
    from the 1971 Convention)', 'no status on record'."""
    record = found.record
    if record is None:
        return "no status on record"
    text = found.level.concept.label if found.level else "controlled"
    if found.basis is Basis.INHERITED and found.holder is not None:
        text += f" (from {place_name(found.holder.name)})"
    elif found.basis is Basis.DERIVED:
        instrument = record.instrument
        if instrument is not None and instrument.iri.endswith("/treaty/un-1971"):
            text += " (derived from the 1971 Convention)"
        elif instrument is not None:  # the first instrument a title names is the law
            text += f" (derived from {plain(instrument.label.split('; ')[0])})"
        else:
            text += " (derived)"
    use = found.medical_use
    if use is not None and use.iri not in _NO_PRESCRIBING:
        text += f"; medical use: {use.label}"
    if found.exceptions:
        text += "; exceptions apply"
    return text


def _since_note(fact: Fact) -> str:
    if fact.since_at_least and fact.start is not None:
        return (f" (in force since at least {long_date(fact.start)}, the date of its sources; "
                "the start is not recorded)")
    return ""


def _sentence(answer: Answer, today: date) -> str:
    past = answer.day < today
    substance, place = plain(answer.item.label), place_name(answer.place.name)
    record = answer.record
    if answer.basis is Basis.INHERITED and record is not None and answer.holder is not None:
        holder = place_name(answer.holder.name)
        base = _listing(answer, record, past, holder, with_clauses=False)
        own = f"The graph has no status record of {substance} for {place} itself. "
        local = [(name, found) for name, found in (
            (place_name(layer.name), _clauses(answer, past, layer.iri))
            for layer in _layers_below(answer)) if found]
        above = _clauses(answer, past, answer.holder.iri)
        text = f"{own}Under the law of {holder}: {_capital(base)}"
        if above:
            text += "; " + "; ".join(above)
        if local:
            text += "; but " + "; and ".join(f"in {w}, " + "; ".join(c) for w, c in local)
        return text + "."
    if record is None:
        when = f" on {long_date(answer.day)}" if answer.day != today else ""
        text = f"the graph has no status record of {substance} in {place}{when}: {answer.why}."
        clauses = _clauses(answer, past)
        if clauses:
            text += " In force there: " + "; ".join(clauses) + "."
        return text
    if answer.basis is Basis.DERIVED and record.instrument is not None and \
            record.instrument.iri.endswith("/treaty/un-1971"):
        must = "had to" if past else "must"
        level = answer.level.concept.label if answer.level else "controlled"
        since = f", a floor in force since {long_date(record.start)}" if record.start else ""
        text = (f"no national source for {substance} in {place} is recorded yet. As a party to "
                f"the 1971 Convention, {place} {must} control {substance} at least as its "
                f"Schedule I requires ({level}{since})")
        clauses = _clauses(answer, past)
        return text + ("; " + "; ".join(clauses) if clauses else "") + "."
    text = _listing(answer, record, past, place, with_clauses=True)
    if answer.basis is Basis.DERIVED:
        text += f" (derived: {answer.why.removeprefix('derived: ')})"
    return text + _since_note(record) + "."


def _layers_below(answer: Answer) -> list[Place]:
    """The places below the holder (the asked place first) with access routes or exceptions
    in force."""
    seen: dict[str, Place] = {}
    holder = answer.holder.iri if answer.holder else None
    for applied in (*answer.access, *answer.exceptions):
        if applied.place.iri != holder:
            seen.setdefault(applied.place.iri, applied.place)
    return list(seen.values())


def _listing(answer: Answer, record: Fact, past: bool, place: str, *,
             with_clauses: bool) -> str:
    is_ = "was" if past else "is"
    substance = plain(answer.item.label)
    level = answer.level.concept.iri if answer.level else None
    template, research_only = _LEVEL.get(level or "", ("{is_} controlled in {place}", False))
    medical = record.medical_use.iri if record.medical_use else None
    clauses = _clauses(answer, past) if with_clauses else []
    listed = record.schedule.label if record.schedule else record.schedule_text
    if clauses and (medical == str(LG.MedicalUseRestrictedPrescribing) or research_only):
        return f"{substance} {is_} prohibited in {place}, except that " + "; ".join(clauses)
    text = f"{substance} " + template.format(is_=is_, place=place)
    if level == str(LG.ControlledLevelNotStated) and listed:
        text += f" (listed in {listed}; the source does not say how strictly)"
    elif listed:
        text += f" (listed in {listed})"
    if medical in _NO_PRESCRIBING:
        text += "; it " + ("could" if past else "may") + " not be prescribed"
    if clauses:
        text += "; " + "; ".join(clauses)
    return text


__all__ = ["brief", "long_date", "place_name", "plain", "sentence", "stated_date"]
