"""Dated facts of the shipped graph, asked through SPARQL on the real store.

Each test checks a change the reference records (tests/fixtures/reference) on both sides of
its date, so a record with the wrong validity period fails here.
"""

from __future__ import annotations

import csv

from rdflib import Literal
from rdflib.namespace import XSD
from tests.conftest import REFERENCE

from legalgraph import build
from legalgraph.namespaces import ID, LG
from legalgraph.store import Store

HOLDS = """
    OPTIONAL { ?r lg:validFrom ?from }
    OPTIONAL { ?r lg:validUntil ?until }
    FILTER ((!BOUND(?from) || ?from <= ?day) && (!BOUND(?until) || ?day < ?until))
"""


def _day(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def status_levels(store: Store, substance: str, place: str, day: str) -> set[str]:
    rows = store.select(
        "SELECT ?level ?s ?j ?day WHERE { ?r a lg:StatusAssertion ; lg:substance ?s ; "
        "lg:jurisdiction ?j ; lg:controlLevel ?level ; lg:basis lg:Curated ." + HOLDS + "}",
        {"s": ID[f"substance/{substance}"], "j": ID[f"jurisdiction/{place}"], "day": _day(day)},
    )
    return {str(r["level"]).rsplit("#", 1)[-1] for r in rows}


def authorizations(store: Store, substance: str, place: str, day: str) -> list[dict[str, str]]:
    rows = store.select(
        "SELECT ?type ?status ?indication ?authorityLabel ?s ?j ?day WHERE { "
        "?r a lg:TherapeuticAuthorization ; lg:substance ?s ; lg:jurisdiction ?j ; "
        "lg:accessType ?type . "
        "OPTIONAL { ?r lg:authorizationStatus ?status } "
        "OPTIONAL { ?r lg:indication ?indication } "
        "OPTIONAL { ?r lg:authority/skos:prefLabel ?authorityLabel } "
        "OPTIONAL { ?r lg:authority/rdfs:label ?authorityLabel } " + HOLDS + "}",
        {"s": ID[f"substance/{substance}"], "j": ID[f"jurisdiction/{place}"], "day": _day(day)},
    )
    return [
        {k: str(v).rsplit("#", 1)[-1] for k, v in row.items()}
        for row in rows
    ]


def reference_row(file: str, iso: str, substance: str | None = None) -> dict[str, str]:
    with (REFERENCE / file).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["iso_code"] == iso and (substance is None or row.get("substance") == substance):
                return row
    raise AssertionError(f"no reference row {file} {iso} {substance}")


def test_australia_mdma_before_and_after_1_july_2023(store: Store) -> None:
    row = reference_row("mdma_status.csv", "AUS")
    assert row["effective_from"] == "2023-07-01" and "PTSD" in row["therapeutic_access"]
    assert status_levels(store, "mdma", "AUS", "2023-06-30") == {"ProhibitedExceptResearch"}
    assert status_levels(store, "mdma", "AUS", "2023-07-01") == {"StrictMedicalControl"}
    assert not [a for a in authorizations(store, "mdma", "AUS", "2023-06-30")
                if a["type"] == "AuthorisedPrescriber"]
    after = [a for a in authorizations(store, "mdma", "AUS", "2023-07-01")
             if a["type"] == "AuthorisedPrescriber"]
    assert after and any("PTSD" in a.get("indication", "") for a in after)
    assert any("TGA" in a.get("authorityLabel", "") or "Therapeutic Goods" in
               a.get("authorityLabel", "") for a in after)


def test_australia_psilocybin_before_and_after_1_july_2023(store: Store) -> None:
    row = reference_row("psychedelics_status.csv", "AUS", "psilocybin")
    assert row["effective_from"] == "2023-07-01"
    assert status_levels(store, "psilocybin", "AUS", "2023-06-30") == {"ProhibitedExceptResearch"}
    assert status_levels(store, "psilocybin", "AUS", "2023-07-01") == {"StrictMedicalControl"}
    after = authorizations(store, "psilocybin", "AUS", "2023-07-01")
    assert any(a["type"] == "AuthorisedPrescriber" and "depression" in
               a.get("indication", "").lower() for a in after)


def test_canada_special_access_from_5_january_2022(store: Store) -> None:
    row = reference_row("mdma_status.csv", "CAN")
    assert row["effective_from"].startswith("2022-01-05")
    before = authorizations(store, "mdma", "CAN", "2022-01-04")
    after = authorizations(store, "mdma", "CAN", "2022-01-05")
    assert not [a for a in before if a["type"] == "SpecialAccess"]
    assert [a for a in after if a["type"] == "SpecialAccess"]


def test_british_columbia_decriminalisation_ended_31_january_2026(store: Store) -> None:
    row = reference_row("mdma_status.csv", "CA-BC")
    assert row["effective_from"].startswith("2026-01-31")
    # "Decriminalised 31 Jan 2023 - 31 Jan 2026 ... criminal again from 1 Feb 2026".
    assert "criminal again from 1 Feb 2026" in row["possession_penalty_regime"]
    query = (
        "SELECT ?regime ?j ?day WHERE { ?r a lg:PenaltyRegime ; lg:jurisdiction ?j ; "
        "lg:possessionRegime ?regime ." + HOLDS + "}"
    )
    place = ID["jurisdiction/CA-BC"]
    before = {str(r["regime"])
              for r in store.select(query, {"j": place, "day": _day("2026-01-31")})}
    after = {str(r["regime"]) for r in store.select(query, {"j": place, "day": _day("2026-02-01")})}
    assert str(LG.DecriminalisedPossession) in before
    assert str(LG.DecriminalisedPossession) not in after


def test_fda_refused_mdma_on_9_august_2024(store: Store) -> None:
    rows = store.select(
        "SELECT ?from ?status ?s ?j WHERE { ?r a lg:TherapeuticAuthorization ; lg:substance ?s ; "
        "lg:jurisdiction ?j ; lg:accessType lg:RefusedAccess ; lg:authorizationStatus ?status ; "
        "lg:validFrom ?from }",
        {"s": ID["substance/mdma"], "j": ID["jurisdiction/USA"]},
    )
    assert {(str(r["from"]), str(r["status"])) for r in rows} >= {("2024-08-09", str(LG.Refused))}
    approved = store.ask(
        "ASK { ?r a lg:TherapeuticAuthorization ; lg:substance ?s ; lg:jurisdiction ?j ; "
        "lg:accessType lg:ApprovedMedicine }",
        {"s": ID["substance/mdma"], "j": ID["jurisdiction/USA"]},
    )
    assert not approved, "no source says MDMA is FDA-approved"


def test_germany_psilocybin_compassionate_use_from_11_july_2025(store: Store) -> None:
    row = reference_row("psychedelics_status.csv", "DEU")
    assert row["effective_from"] == "2025-07-11"
    before = authorizations(store, "psilocybin", "DEU", "2025-07-10")
    during = authorizations(store, "psilocybin", "DEU", "2025-07-11")
    assert not [a for a in before if a["type"] == "CompassionateUse"]
    assert [a for a in during if a["type"] == "CompassionateUse"]


def _participation(iso: str) -> str:
    with (REFERENCE / "un1971_parties.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["iso3"] == iso:
                return row["status"]
    return "no record"


def _curated_mdma_codes() -> set[str]:
    with (REFERENCE / "mdma_status.csv").open(encoding="utf-8") as handle:
        return {row["iso_code"] for row in csv.DictReader(handle)}


def test_a_party_without_curated_mdma_record_gets_a_derived_floor(store: Store) -> None:
    code = "FRA" if "FRA" not in _curated_mdma_codes() else next(
        c for c in ("AFG", "ALB", "DZA", "AND") if c not in _curated_mdma_codes()
    )
    assert _participation(code) == "party"
    rows = store.select(
        "SELECT ?level ?s ?j ?day WHERE { ?r a lg:StatusAssertion ; lg:substance ?s ; "
        "lg:jurisdiction ?j ; lg:basis lg:Derived ; lg:controlLevel ?level ; "
        "prov:wasDerivedFrom ?p . ?p a lg:TreatyParticipation . }",
        {"s": ID["substance/mdma"], "j": ID[f"jurisdiction/{code}"]},
    )
    assert len(rows) == 1
    assert rows[0]["level"] == LG.ProhibitedExceptResearch


def test_a_non_party_without_curated_record_stays_unknown(store: Store) -> None:
    with (REFERENCE / "un1971_parties.csv").open(encoding="utf-8") as handle:
        non_parties = [r["iso3"] for r in csv.DictReader(handle) if r["status"] == "non-party"]
    code = next(c for c in non_parties if c not in _curated_mdma_codes())
    assert not store.ask(
        "ASK { ?r a lg:StatusAssertion ; lg:substance ?s ; lg:jurisdiction ?j }",
        {"s": ID["substance/mdma"], "j": ID[f"jurisdiction/{code}"]},
    )


def test_no_floor_is_derived_for_substances_outside_the_convention(store: Store) -> None:
    for slug in ("ketamine", "esketamine", "ibogaine"):
        assert not store.ask(
            "ASK { ?r lg:substance ?s ; lg:basis lg:Derived }", {"s": ID[f"substance/{slug}"]}
        ), slug
    assert not store.ask(
        "ASK { ?r lg:basis lg:Derived ; lg:substance ?m ; prov:wasDerivedFrom ?p . "
        "?m a lg:NaturalMaterial . ?p a lg:TreatyParticipation }"
    )


def test_derived_records_never_come_from_data_files(store: Store) -> None:
    assert store.ask("ASK { ?r lg:basis lg:Derived }")
    loaded_without_rules = build.load(derive=False)
    assert not loaded_without_rules.ask("ASK { ?r lg:basis lg:Derived }")
