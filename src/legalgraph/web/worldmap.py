"""The vendored world map (``static/map/world-110m.json``) and the colours of its legends.

The colours are the one palette of the site (map, badges, status card). Control levels take
viridis, darkest for the strictest, with a brown for "controlled, level not stated"; medical
access takes plasma, its sister palette, so the two views are not confused. Both stay apart for
readers with red-green colour blindness (the browser tests check it under a simulated
deuteranopia); "no data" is a light grey that no key uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
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
    """One entry of a legend: the CSS class that colours it, what it means and its colours."""

    css: str
    label: str
    meaning: str
    colour: str = "#d9d9d9"

    @property
    def ink(self) -> str:
        """Black or white, whichever reads better on :attr:`colour` (WCAG contrast)."""
        light = _luminance(self.colour)
        return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#ffffff"


def _luminance(hex_colour: str) -> float:
    def channel(i: int) -> float:
        c = int(hex_colour[i:i + 2], 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)


#: Control levels, most restrictive first; "unknown" is grey and never looks like "legal".
CONTROL_KEYS: dict[str, Key] = {
    str(LG.ProhibitedExceptResearch): Key("c1", "prohibited except research",
                                          "no medical use; research under licence only",
                                          "#440154"),
    str(LG.StrictMedicalControl): Key("c2", "strict medical control",
                                      "restricted prescribing under strict controls", "#31688e"),
    str(LG.PrescriptionMedicine): Key("c3", "prescription medicine", "ordinary prescription",
                                      "#35b779"),
    str(LG.NotControlled): Key("c4", "not controlled", "not listed under drug-control law",
                               "#fde725"),
    str(LG.ControlledLevelNotStated): Key("c5", "controlled, level not stated",
                                          "listed, but the source does not say how strictly",
                                          "#8c6d31"),
}

#: Medical access, least open first: by the status record's medical use, or by the therapeutic
#: authorizations in force (supervised services exist only as an access route).
MEDICAL_KEYS: dict[str, Key] = {
    str(LG.MedicalUseNone): Key("m1", "no medical use", "the law allows no medical use",
                                "#0d0887"),
    str(LG.MedicalUseResearchOnly): Key("m2", "research only", "licensed research and trials",
                                        "#7e03a8"),
    str(LG.MedicalUseSpecialAccess): Key("m4", "special or compassionate access",
                                         "case by case for patients", "#f89540"),
    str(LG.SupervisedServices): Key("m6", "supervised services",
                                    "licensed services, outside medicine", "#b2df8a"),
    str(LG.MedicalUseRestrictedPrescribing): Key("m3", "authorised prescribers",
                                                 "specially authorised prescribers", "#cc4778"),
    str(LG.MedicalUseApprovedMedicine): Key("m5", "approved medicine",
                                            "a medicine has a marketing authorisation",
                                            "#f0f921"),
}

#: The access routes of therapeutic authorizations (by their short code), as medical keys.
ACCESS_ROUTES: dict[str, Key] = {
    "approved-medicine": MEDICAL_KEYS[str(LG.MedicalUseApprovedMedicine)],
    "authorised-prescriber": MEDICAL_KEYS[str(LG.MedicalUseRestrictedPrescribing)],
    "supervised-services": MEDICAL_KEYS[str(LG.SupervisedServices)],
    "special-access": MEDICAL_KEYS[str(LG.MedicalUseSpecialAccess)],
    "compassionate-use": MEDICAL_KEYS[str(LG.MedicalUseSpecialAccess)],
    "expanded-access": MEDICAL_KEYS[str(LG.MedicalUseSpecialAccess)],
}
_OPENNESS = {key.css: rank for rank, key in enumerate(MEDICAL_KEYS.values())}


def medical_key(medical_use: str | None, routes: Iterable[str]) -> Key | None:
    """The most open of: the medical use a status record states, and the access routes of the
    authorizations in force (by short code). None when neither is known."""
    found = [ACCESS_ROUTES[r] for r in routes if r in ACCESS_ROUTES]
    if medical_use in MEDICAL_KEYS:
        found.append(MEDICAL_KEYS[medical_use])
    return max(found, key=lambda k: _OPENNESS[k.css]) if found else None

UNKNOWN = Key("unknown", "no data", "nothing recorded: not the same as legal", "#d9d9d9")


def all_keys() -> list[Key]:
    """Every key of every legend, and "no data"."""
    return [*CONTROL_KEYS.values(), *MEDICAL_KEYS.values(), UNKNOWN]
