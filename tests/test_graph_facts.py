"""Dated facts of the shipped graph, asked through SPARQL on the real store.

Each test checks a change the reference records (tests/fixtures/reference) on both sides of
its date, so a record with the wrong validity period fails here.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

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
            "ASK { ?r lg:substance ?s ; lg:basis lg:Derived ; prov:wasDerivedFrom ?p . "
            "?p a lg:TreatyParticipation }", {"s": ID[f"substance/{slug}"]}
        ), slug
    assert not store.ask(
        "ASK { ?r lg:basis lg:Derived ; lg:substance ?m ; prov:wasDerivedFrom ?p . "
        "?m a lg:NaturalMaterial . ?p a lg:TreatyParticipation }"
    )


def test_derived_records_never_come_from_data_files(store: Store) -> None:
    assert store.ask("ASK { ?r lg:basis lg:Derived }")
    loaded_without_rules = build.load(derive=False)
    assert not loaded_without_rules.ask("ASK { ?r lg:basis lg:Derived }")


def _reference_rows(file: str) -> list[dict[str, str]]:
    with (REFERENCE / file).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def members(store: Store, day: str) -> set[str]:
    rows = store.select(
        "SELECT ?j ?body ?day WHERE { ?r a lg:Membership ; lg:jurisdiction ?j ; lg:body ?body ."
        + HOLDS + "}",
        {"body": ID["jurisdiction/EU"], "day": _day(day)},
    )
    return {str(r["j"]).rsplit("/", 1)[-1] for r in rows}


def test_eu_membership_follows_the_reference_dates(store: Store) -> None:
    rows = _reference_rows("eu_membership.csv")
    assert len(rows) == 28
    for row in rows:
        before = date.fromisoformat(row["joined"]) - timedelta(days=1)
        assert row["iso3"] not in members(store, before.isoformat()), row
        assert row["iso3"] in members(store, row["joined"]), row
    assert "GBR" in members(store, "2020-01-31")
    assert "GBR" not in members(store, "2020-02-01")
    assert len(members(store, "2026-01-01")) == 27


def test_eu_wide_esketamine_authorisation_from_18_december_2019(store: Store) -> None:
    first = next(r for r in _reference_rows("eu_centralised_authorisations.csv")
                 if r["decision_date"] == "2019-12-18")
    assert "Spravato" in first["product"]
    before = authorizations(store, "esketamine", "EU", "2019-12-17")
    after = authorizations(store, "esketamine", "EU", "2019-12-18")
    assert not [a for a in before if a["type"] == "ApprovedMedicine"]
    assert [a["status"] for a in after if a["type"] == "ApprovedMedicine"] == ["Granted"]
    extension = authorizations(store, "esketamine", "EU", "2021-03-01")
    assert len([a for a in extension if a["type"] == "ApprovedMedicine"]) == 2


def listings(store: Store, substance: str, day: str) -> list[str]:
    rows = store.select(
        "SELECT ?schedule ?s ?day WHERE { ?r a lg:InternationalListing ; lg:substance ?s ; "
        "lg:treaty <https://w3id.org/legalgraph/id/treaty/un-1971> ; lg:schedule ?schedule ."
        + HOLDS + "}",
        {"s": ID[f"substance/{substance}"], "day": _day(day)},
    )
    return [str(r["schedule"]).rsplit("/", 1)[-1] for r in rows]


def test_schedule_i_listings_take_effect_on_their_day(store: Store) -> None:
    originals = {r["substance"].split(" ")[0].lower(): r["effective_date"]
                 for r in _reference_rows("international_schedule_dates.csv")
                 if r["effective_date"]}
    assert originals == dict.fromkeys(("psilocybin", "psilocin", "lsd", "dmt", "mescaline"),
                                      "1976-08-16")
    for substance in originals:
        assert listings(store, substance, "1976-08-15") == []
        assert listings(store, substance, "1976-08-16") == ["schedule-i"]
    # MDMA: the decision's day is not known; the listing is in force by 1988-10-12.
    assert listings(store, "mdma", "1988-10-11") == []
    assert listings(store, "mdma", "1988-10-12") == ["schedule-i"]
    assert listings(store, "ketamine", "2026-01-01") == []


def test_every_containing_clause_names_a_substance_its_material_contains(store: Store) -> None:
    rows = store.select(
        "SELECT ?clause ?substance ?material ?contained WHERE { ?clause a lg:ContainingClause ; "
        "lg:substance ?substance ; lg:material ?material ; lg:quote ?quote . "
        "OPTIONAL { ?material lg:contains ?contained . FILTER (?contained = ?substance) } }"
    )
    assert len(rows) >= 4
    assert [str(r["clause"]) for r in rows if r.get("contained") is None] == []


def test_the_us_schedule_i_clause_reaches_psilocybin_mushrooms(store: Store) -> None:
    rows = store.select(
        "SELECT ?substance ?quote ?j ?m WHERE { ?c a lg:ContainingClause ; lg:jurisdiction ?j ; "
        "lg:material ?m ; lg:substance ?substance ; lg:quote ?quote }",
        {"j": ID["jurisdiction/USA"], "m": ID["substance/psilocybin-mushrooms"]},
    )
    assert {str(r["substance"]).rsplit("/", 1)[-1] for r in rows} == {"psilocybin", "psilocin"}
    for row in rows:
        assert "any material, compound, mixture, or preparation, which contains any quantity" in (
            str(row["quote"])
        )


def test_a_listing_never_carries_an_access_route(store: Store) -> None:
    rows = store.select(
        "SELECT ?r WHERE { ?r a lg:StatusAssertion ; lg:basis lg:Curated ; "
        "lg:medicalUse lg:MedicalUseSpecialAccess }"
    )
    assert [str(r["r"]) for r in rows] == []


def test_canada_lists_mdma_before_its_special_access_route(store: Store) -> None:
    first = next(r for r in _reference_rows("first_control_mdma.csv")
                 if r["iso_code"] == "CAN" and r["event"] == "reclassification")
    assert first["date"] == "2012" and first["confidence"] == "medium"
    assert status_levels(store, "mdma", "CAN", "2021-06-01") == {"ProhibitedExceptResearch"}
    assert status_levels(store, "mdma", "CAN", "2005-01-01") == {"ControlledLevelNotStated"}
    assert not [a for a in authorizations(store, "mdma", "CAN", "2021-06-01")
                if a["type"] == "SpecialAccess"]
    for substance in ("psilocybin", "psilocin", "lsd", "dmt"):
        assert status_levels(store, substance, "CAN", "2021-06-01") == {
            "ProhibitedExceptResearch"}, substance
        assert [a for a in authorizations(store, substance, "CAN", "2022-01-05")
                if a["type"] == "SpecialAccess"], substance


def test_us_mdma_schedule_i_periods_follow_the_federal_register(store: Store) -> None:
    curated = store.select(
        "SELECT ?r ?s ?j ?day WHERE { ?r a lg:StatusAssertion ; lg:substance ?s ; "
        "lg:jurisdiction ?j ; lg:basis lg:Curated ." + HOLDS + "}",
        {"s": ID["substance/mdma"], "j": ID["jurisdiction/USA"], "day": _day("1985-06-30")},
    )
    assert curated == []
    for day in ("1985-07-01", "1986-11-13", "1987-09-17", "1988-03-23", "2026-01-01"):
        assert status_levels(store, "mdma", "USA", day) == {"ProhibitedExceptResearch"}, day


def test_no_esketamine_approval_before_the_first_one(store: Store) -> None:
    first = next(r for r in _reference_rows("psychedelics_status.csv")
                 if r["iso_code"] == "USA" and r["substance"] == "esketamine"
                 and r["effective_from"] == "2019-03-05")
    assert first["confidence"] == "high"
    rows = store.select(
        "SELECT ?r ?from ?s WHERE { ?r a lg:TherapeuticAuthorization ; lg:substance ?s ; "
        "lg:accessType lg:ApprovedMedicine ; lg:basis lg:Curated . "
        "?r lg:product ?product . FILTER (CONTAINS(LCASE(STR(?product)), 'spravato')) "
        "OPTIONAL { ?r lg:validFrom ?from } }",
        {"s": ID["substance/esketamine"]},
    )
    assert rows
    for row in rows:
        start = row.get("from")
        assert start is None or str(start) >= "2019-03-05", row
    assert [a["type"] for a in authorizations(store, "esketamine", "USA", "2019-03-05")
            if a["type"] == "ApprovedMedicine"]
    assert not [a for a in authorizations(store, "esketamine", "USA", "2019-03-04")
                if a["type"] == "ApprovedMedicine"]
