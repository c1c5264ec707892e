"""The ACLED-shaped event record, with evidence for every field."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from .document import Evidence

#: ACLED's columns that the scorer and the exports use, in ACLED's order.
ACLED_FIELDS = (
    "event_date", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "civilian_targeting", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "fatalities",
)

EVENT_TYPES = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                                   "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"),
}

DISORDER_TYPES = {
    "Battles": "Political violence", "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence", "Riots": "Political violence",
    "Protests": "Demonstrations", "Strategic developments": "Strategic developments",
}

ACTOR_TYPES = ("State forces", "Rebel group", "Political militia", "Identity militia",
               "Rioters", "Protesters", "Civilians", "External/Other forces")


@dataclass
class Event:
    event_date: str | None = None
    time_precision: int | None = None
    disorder_type: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: str | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: str | None = None
    civilian_targeting: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    #: field name -> list of Evidence (source id, sentence, character span)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    #: conflicting or attributed figures: {"field", "value", "said_by", "evidence"}
    claims: list[dict[str, Any]] = field(default_factory=list)
    confidence: float = 0.5
    background: bool = False         # history told as background, not a new event
    notes: str = ""                  # the sentence(s) the event was read from
    sources: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def cite(self, name: str, ev: Evidence | None) -> None:
        if ev is not None:
            self.evidence.setdefault(name, []).append(ev)

    def acled(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in ACLED_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        d = self.acled()
        d["evidence"] = {k: [e.to_dict() for e in v] for k, v in self.evidence.items()}
        d["claims"] = self.claims
        d["confidence"] = round(self.confidence, 3)
        d["background"] = self.background
        d["notes"] = self.notes
        d["sources"] = self.sources
        if self.extra:
            d["extra"] = self.extra
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        names = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in names and k not in ("evidence",)}
        ev = cls(**kw)
        for k, lst in (d.get("evidence") or {}).items():
            ev.evidence[k] = [Evidence(**e) for e in lst]
        return ev
