"""The compare API and commands, checked against the reference rows in tests/fixtures/reference.

Expected answers come from the copied reference CSVs (dates, medical use, access, parties),
never from the queries' own output. Dates are taken on both sides of a change.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from tests.conftest import REFERENCE

from legalgraph.cli import main
from legalgraph.compare import Comparer, Status
from legalgraph.errors import InputError
from legalgraph.namespaces import ID
from legalgraph.resolve import UnknownName
from legalgraph.store import Store

# The reference's medical_use_allowed words, as the compare API's medical_use codes.
MEDICAL_USE = {
    "none": "none",
    "research-only": "research-only",
    "restricted-prescribing": "restricted-prescribing",
    "compassionate/special-access": "special-access",
    "approved-medicine": "approved-medicine",
}


def reference(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def row(name: str, iso: str, substance: str | None = None) -> dict[str, str]:
    rows = [r for r in reference(name) if r["iso_code"] == iso
            and (substance is None or r["substance"] == substance)]
    assert len(rows) == 1, f"expected one {name} row for {iso} {substance}"
    return rows[0]


def slug(iri: object) -> str | None:
    """The substance slug of a substance IRI (``.../id/substance/mdma`` -> ``mdma``)."""
    return None if iri is None else str(iri).rsplit("/substance/", 1)[-1]


@pytest.fixture(scope="module")
def comparer(store: Store) -> Comparer:
    return Comparer(store)


def compare_json(*args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["compare", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


# -- Australia's MDMA: the day before and the day of the change ---------------------------

def test_australia_mdma_before_and_after_the_rescheduling() -> None:
    ref = row("mdma_status.csv", "AUS")
    day = date.fromisoformat(ref["effective_from"])
    assert "PTSD" in ref["therapeutic_access"] and "Authorised Prescriber" in ref[
        "therapeutic_access"]

    (before,) = compare_json("mdma", "AUS", "--as-of", (day - timedelta(days=1)).isoformat())
    assert before["medical_use"] != MEDICAL_USE[ref["medical_use_allowed"]]
    assert before["medical_use"] in (None, "none", "research-only")
    assert "authorised prescriber" not in str(before["therapeutic_access"] or "").lower()

    (after,) = compare_json("mdma", "AUS", "--as-of", day.isoformat())
    assert after["medical_use"] == MEDICAL_USE[ref["medical_use_allowed"]]
    assert after["basis"] == "curated"
    access = str(after["therapeutic_access"]).lower()
    assert "authorised prescriber" in access and "ptsd" in access
    assert after["source_url"] in ref["source_url"].split(" | ")


def test_changes_in_2023_list_australias_mdma_and_psilocybin() -> None:
    expected = {("mdma", r["effective_from"]) for r in reference("mdma_status.csv")
                if r["iso_code"] == "AUS" and r["effective_from"].startswith("2023")}
    expected |= {(r["substance"], r["effective_from"]) for r in reference("psychedelics_status.csv")
                 if r["iso_code"] == "AUS" and r["substance"] in ("psilocybin", "mdma")
                 and r["effective_from"].startswith("2023")}
    assert {s for s, _ in expected} == {"mdma", "psilocybin"}
    result = CliRunner().invoke(
        main, ["changes", "--from", "2023-01-01", "--to", "2023-12-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = {(slug(c["substance"]), c["date"]) for c in json.loads(result.output)
             if c["code"] == "AUS" and c["change"] == "started"}
    assert expected <= found


def test_changes_of_one_substance_keep_to_it() -> None:
    result = CliRunner().invoke(main, ["changes", "--from", "2023-01-01", "--to", "2023-12-31",
                                       "--substance", "ecstasy", "--format", "json"])
    assert result.exit_code == 0, result.output
    slugs = {slug(c["substance"]) for c in json.loads(result.output)}
    assert slugs <= {"mdma", None}
    assert "mdma" in slugs


# -- every dated MDMA row: its medical use holds from its first day ---------------------------

DATED = [r for r in reference("mdma_status.csv")
         if re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["effective_from"])
         and r["medical_use_allowed"] and re.fullmatch(r"[A-Z]{3}", r["iso_code"])]


@pytest.mark.parametrize("ref", DATED, ids=[r["iso_code"] for r in DATED])
def test_dated_mdma_rows_hold_from_their_first_day(comparer: Comparer, ref: dict[str, str]) -> None:
    (answer,) = comparer.status("mdma", [ref["iso_code"]], ref["effective_from"])
    assert answer.basis == "curated"
    assert answer.medical_use == MEDICAL_USE[ref["medical_use_allowed"]]
    assert answer.valid_from == date.fromisoformat(ref["effective_from"])


# -- names, unknowns and derived answers ---------------------------------------------------

@pytest.mark.parametrize("name", ["Holland", "nl", "NLD", "netherlands", "The Netherlands"])
def test_names_codes_and_synonyms_of_a_place(comparer: Comparer, name: str) -> None:
    (answer,) = comparer.status("ecstasy", [name], "2024-01-01")
    assert answer.code == row("mdma_status.csv", "NLD")["iso_code"]


@pytest.mark.parametrize("name", ["ecstasy", "MDMA", "molly", "midomafetamine"])
def test_names_of_a_substance(comparer: Comparer, name: str) -> None:
    assert comparer.substance(name).iri == comparer.substance("mdma").iri


def test_magic_mushrooms_is_the_material_not_the_substance(comparer: Comparer) -> None:
    mushrooms = comparer.substance("magic mushrooms")
    assert mushrooms.iri != comparer.substance("psilocybin").iri
    assert "mushroom" in mushrooms.label.lower()


def test_ambiguous_and_unknown_names_list_the_candidates(comparer: Comparer) -> None:
    with pytest.raises(UnknownName) as ambiguous:
        comparer.status("mdma", ["Georgia"])
    assert {"Georgia (GEO)", "Georgia (US-GA)"} <= set(ambiguous.value.candidates)
    with pytest.raises(UnknownName) as unknown:
        comparer.status("mdma", ["Nederland"])
    assert "Netherlands" in unknown.value.candidates
    with pytest.raises(UnknownName, match="unknown substance 'mdmx'; did you mean MDMA"):
        comparer.status("mdmx", ["AUS"])


def curated_codes(store: Store, substance: str) -> set[str]:
    """The countries whose graph holds a curated status record for ``substance``."""
    return {str(r["code"]) for r in store.select(
        "SELECT ?code ?s WHERE { ?r a lg:StatusAssertion ; lg:substance ?s ; lg:basis lg:Curated ;"
        " lg:jurisdiction/lg:iso3166Alpha3 ?code }", {"s": ID[f"substance/{substance}"]})}


def test_a_non_party_without_a_source_is_unknown_with_why(comparer: Comparer,
                                                          store: Store) -> None:
    curated = curated_codes(store, "mdma")
    non_parties = [r["iso3"] for r in reference("un1971_parties.csv")
                   if r["status"] == "non-party" and r["iso3"] not in curated]
    assert non_parties
    for answer in comparer.status("mdma", non_parties, "2024-01-01"):
        assert answer.basis == "unknown"
        assert "not a party" in answer.why and answer.control_level is None


def test_a_party_without_a_source_gets_the_treaty_floor(comparer: Comparer,
                                                        store: Store) -> None:
    (row,) = store.select(
        "SELECT ?from ?s WHERE { ?l a lg:InternationalListing ; lg:substance ?s ; "
        "lg:validFrom ?from }", {"s": ID["substance/mdma"]})
    listed = date.fromisoformat(str(row["from"]))
    curated = curated_codes(store, "mdma")
    parties = [r for r in reference("un1971_parties.csv")
               if r["status"] == "party" and r["date"] and r["iso3"] not in curated][:5]
    for ref, answer in zip(
        parties, comparer.status("mdma", [r["iso3"] for r in parties], "2024-01-01"),
        strict=True,
    ):
        assert answer.basis == "derived"
        assert answer.control_level == "prohibited-except-research"
        # the Convention binds a party from the 90th day after its deposit (art. 26); the
        # floor holds from the later of that day and the day the listing took effect
        binds = max(date.fromisoformat(ref["date"]) + timedelta(days=90), date(1976, 8, 16))
        assert answer.valid_from == max(binds, listed)


def test_bad_dates_are_clear_errors(comparer: Comparer) -> None:
    with pytest.raises(InputError, match="malformed as-of date '2023-02-30'"):
        comparer.status("mdma", ["AUS"], "2023-02-30")
    with pytest.raises(InputError, match=r"ends .* before it starts"):
        comparer.changes("2024-01-01", "2023-01-01")
    result = CliRunner().invoke(main, ["compare", "mdma", "AUS", "--as-of", "1/7/2023"])
    assert result.exit_code == 2 and "malformed --as-of date" in result.output
    assert "Traceback" not in result.output


# -- the other questions ------------------------------------------------------------------

def test_therapeutic_access_on_a_date(comparer: Comparer) -> None:
    ref = row("mdma_status.csv", "AUS")
    day = date.fromisoformat(ref["effective_from"])
    after = comparer.therapeutic_access(day, "mdma")
    assert any(a.code == "AUS" and a.access_type == "authorised-prescriber"
               and "PTSD" in (a.indication or "") for a in after)
    before = comparer.therapeutic_access(day - timedelta(days=1), "mdma")
    assert not any(a.code == "AUS" for a in before)


def test_treaty_floor_comparison(comparer: Comparer) -> None:
    ref = row("mdma_status.csv", "AUS")
    day = ref["effective_from"]
    by_code = {c.code: c for c in comparer.treaty_floor("mdma", day)}
    assert by_code["AUS"].relation == "looser"  # restricted prescribing above research-only
    assert by_code["USA"].relation == "same"  # Schedule I, research-only, as the treaty
    assert all(c.relation == "same" for c in by_code.values() if c.basis == "derived")


def test_research_exemption_regimes_cover_the_reference(comparer: Comparer) -> None:
    expected = {r["iso_code"] for r in reference("research_exemptions.csv")}
    found = {r.code for r in comparer.research_exemptions()}
    assert expected <= found
    uk = comparer.research_exemptions("United Kingdom")
    assert uk and {r.code for r in uk} == {"GBR"}


def test_timeline_of_mdma_in_australia(comparer: Comparer) -> None:
    ref = row("mdma_status.csv", "AUS")
    day = date.fromisoformat(ref["effective_from"])
    entries = comparer.timeline("mdma", "Australia")
    statuses = [e for e in entries if e.kind == "status-assertion"]
    assert [e.valid_until for e in statuses].count(day) == 1
    assert [e.valid_from for e in statuses].count(day) == 1
    assert entries == sorted(entries, key=lambda e: (e.valid_from or date.min))


def test_subdivision_differences_around_oregons_services(comparer: Comparer) -> None:
    ref = [r for r in reference("psychedelics_status.csv")
           if r["iso_code"] == "US-OR" and r["substance"] == "psilocybin"]
    start = min(date.fromisoformat(r["effective_from"]) for r in ref)
    after = comparer.subdivision_differences("psilocybin", start)
    assert any(d.code == "US-OR" and d.country_code == "USA"
               and d.kind == "therapeutic-authorization" for d in after)
    before = comparer.subdivision_differences("psilocybin", start - timedelta(days=1))
    assert not any(d.code == "US-OR" and d.kind == "therapeutic-authorization" for d in before)


def test_coverage_and_level_counts_add_up(comparer: Comparer) -> None:
    # today: records with no start date hold only since the as-of date of their sources
    (mdma,) = [c for c in comparer.coverage_summary() if slug(c.substance) == "mdma"]
    assert mdma.curated + mdma.derived + mdma.unknown == mdma.total == 249
    countries = {r["iso_code"] for r in reference("mdma_status.csv")
                 if re.fullmatch(r"[A-Z]{3}", r["iso_code"])}
    assert mdma.curated >= len(countries) - 5  # a few rows are bills, not statuses
    levels = {c.control_level: c for c in comparer.level_counts("mdma", "2024-01-01")}
    assert levels["strict-medical-control"].curated >= 1  # Australia, from 2023-07-01


def test_one_jurisdiction_across_substances(comparer: Comparer) -> None:
    answers = {slug(a.substance): a for a in comparer.jurisdiction("AUS", "2024-01-01")}
    for substance in ("mdma", "psilocybin"):
        ref = (row("mdma_status.csv", "AUS") if substance == "mdma"
               else row("psychedelics_status.csv", "AUS", "psilocybin"))
        assert answers[substance].medical_use == MEDICAL_USE[ref["medical_use_allowed"]]


def test_status_fields_are_the_documented_json_names() -> None:
    (answer,) = compare_json("mdma", "AUS", "--as-of", "2024-01-01")
    assert list(answer) == list(Status.columns())


def test_fields_choose_the_columns_and_unknown_ones_are_refused() -> None:
    ok = CliRunner().invoke(main, ["compare", "mdma", "AUS", "NLD",
                                   "--fields", "code,basis", "--format", "csv"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.splitlines() == ["code,basis", "AUS,curated", "NLD,curated"]
    bad = CliRunner().invoke(main, ["timeline", "mdma", "AUS", "--fields", "code,colour"])
    assert bad.exit_code == 2 and "no field 'code', 'colour'" in bad.output


def test_exceptions_read_as_one_cell_in_csv_and_as_a_list_in_json() -> None:
    result = CliRunner().invoke(main, ["compare", "ayahuasca", "USA", "--as-of", "2024-01-01",
                                       "--fields", "code,exceptions", "--format", "csv"])
    assert result.exit_code == 0, result.output
    (row,) = list(csv.DictReader(result.output.splitlines()))
    assert row["exceptions"].startswith("religious: ") and "{" not in row["exceptions"]
    (answer,) = compare_json("ayahuasca", "USA", "--as-of", "2024-01-01")
    exceptions = answer["exceptions"]
    assert isinstance(exceptions, list) and exceptions[0]["kind"] == "religious"
    assert exceptions[0]["place"] == "USA" and exceptions[0]["scope"]
