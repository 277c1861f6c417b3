"""The vendored world map (``static/map/world-110m.json``) and the colours of its legends."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from legalgraph.namespaces import LG

MAP_FILE = Path(__file__).resolve().parent / "static" / "map" / "world-110m.json"


@dataclass(frozen=True)
class Shape:
    """One country's outline, keyed by ISO 3166-1 numeric code."""

    key: str
    name: str
    d: str


@dataclass(frozen=True)
class WorldMap:
    """The outlines and their provenance."""

    view_box: str
    source: str
    license: str
    shapes: tuple[Shape, ...]


@cache
def world() -> WorldMap:
    """The map, read once."""
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    shapes = tuple(Shape(k, v["name"], v["d"]) for k, v in sorted(data["countries"].items()))
    return WorldMap(data["view_box"], data["source"], data["license"], shapes)


@dataclass(frozen=True)
class Key:
    """One entry of a legend: the CSS class that colours it and what it means."""

    css: str
    label: str
    meaning: str


#: Control levels, most restrictive first; "unknown" is grey and never looks like "legal".
CONTROL_KEYS: dict[str, Key] = {
    str(LG.ProhibitedExceptResearch): Key("c1", "prohibited except research",
                                          "no medical use; research under licence only"),
    str(LG.StrictMedicalControl): Key("c2", "strict medical control",
                                      "restricted prescribing under strict controls"),
    str(LG.PrescriptionMedicine): Key("c3", "prescription medicine", "ordinary prescription"),
    str(LG.NotControlled): Key("c4", "not controlled", "not listed under drug-control law"),
    str(LG.ControlledLevelNotStated): Key("c5", "controlled, level not stated",
                                          "listed, but the source does not say how strictly"),
}

MEDICAL_KEYS: dict[str, Key] = {
    str(LG.MedicalUseNone): Key("m1", "no medical use", "the law allows no medical use"),
    str(LG.MedicalUseResearchOnly): Key("m2", "research only", "licensed research and trials"),
    str(LG.MedicalUseRestrictedPrescribing): Key("m3", "restricted prescribing",
                                                 "specially authorised prescribers"),
    str(LG.MedicalUseSpecialAccess): Key("m4", "special or compassionate access",
                                         "case by case for patients"),
    str(LG.MedicalUseApprovedMedicine): Key("m5", "approved medicine",
                                            "a medicine has a marketing authorisation"),
}

UNKNOWN = Key("unknown", "no data", "nothing recorded: not the same as legal")
