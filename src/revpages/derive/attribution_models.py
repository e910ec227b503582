"""The attribution options and the rule-based models they select, declared once.

Each rule-based model is a set of milestone shares plus a "rest" share split evenly
over the other touches of the journey (METRICS.md, "Attribution"). Milestones:

- ``first``: the first touch of the journey;
- ``lead``: the lead-creation touch, the last touch at or before the lead was created;
- ``last``: the last touch, which is also the opportunity-creation touch, because the
  conversion is the opportunity's creation and later touches are excluded;
- ``won``: the closed-won touch, the last touch before a deal that was won (the same touch
  as ``last``, for the same reason); a deal not won has none;
- ``non_direct``: the last touch whose channel is not "direct" (the last touch when every
  touch is direct).

Time decay is the one model that is not milestone-based; it has ``decay`` set.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from revpages.errors import ConfigError

U_PRESETS = ("google", "hubspot", "marketo")


@dataclass(frozen=True)
class AttributionOptions:
    """The plugin's ``attribution_*`` options, as the core sees them."""

    lookback_days: int = 365  # touches more than this many days before the conversion drop out
    half_life_days: float = 7.0  # of the time-decay model
    u_preset: str = "google"  # U-shaped: google (first/last), hubspot, marketo

    def check(self) -> None:
        """Every problem names the option and the bad value."""
        if (
            isinstance(self.lookback_days, bool)
            or not isinstance(self.lookback_days, int)
            or self.lookback_days < 1
        ):
            raise ConfigError(
                f"attribution_lookback_days: '{self.lookback_days}' is not a whole number of "
                "days of at least 1.",
                code="RP103",
                hint="use e.g. 365 (the default).",
            )
        if not self.half_life_days > 0:
            raise ConfigError(
                f"attribution_half_life_days: '{self.half_life_days:g}' is not a positive "
                "number of days.",
                code="RP103",
                hint="use e.g. 7 (the default).",
            )
        if self.u_preset not in U_PRESETS:
            raise ConfigError(
                f"attribution_u_preset: '{self.u_preset}' is not a U-shaped preset.",
                code="RP103",
                hint=f"use one of {', '.join(U_PRESETS)}.",
            )

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class RuleModel:
    """One rule-based model: its shares per milestone and for the rest of the touches."""

    name: str  # the value of attribution_credits.model
    label: str
    weights: str  # the weights in words, as the reports and glossary state them
    first: float = 0.0
    lead: float = 0.0
    last: float = 0.0
    won: float = 0.0
    non_direct: float = 0.0
    rest: float = 0.0
    decay: bool = False


_U_SHAPED = {
    "google": RuleModel(
        "u_shaped",
        "U-shaped (google)",
        "40 % first touch, 40 % last touch, 20 % shared by the middle",
        first=0.4,
        last=0.4,
        rest=0.2,
    ),
    "hubspot": RuleModel(
        "u_shaped",
        "U-shaped (hubspot)",
        "40 % first touch, 40 % lead-creation touch, 20 % shared by the others",
        first=0.4,
        lead=0.4,
        rest=0.2,
    ),
    "marketo": RuleModel(
        "u_shaped",
        "U-shaped (marketo)",
        "50 % first touch, 50 % lead-creation touch, nothing to the others",
        first=0.5,
        lead=0.5,
    ),
}


def rule_models(options: AttributionOptions) -> tuple[RuleModel, ...]:
    """Every rule-based model, in the order the reports show them."""
    half_life = f"{options.half_life_days:g}"
    return (
        RuleModel("first_touch", "First touch", "100 % to the first touch", first=1.0),
        RuleModel("last_touch", "Last touch", "100 % to the last touch", last=1.0),
        RuleModel(
            "last_non_direct",
            "Last non-direct touch",
            "100 % to the last touch whose channel is not direct (the last touch when "
            "all are direct)",
            non_direct=1.0,
        ),
        RuleModel("linear", "Linear", "1/n to each of the n touches", rest=1.0),
        _U_SHAPED[options.u_preset],
        RuleModel(
            "w_shaped",
            "W-shaped",
            "30 % first touch, 30 % lead-creation touch, 30 % opportunity-creation "
            "touch, 10 % shared by the rest",
            first=0.3,
            lead=0.3,
            last=0.3,
            rest=0.1,
        ),
        RuleModel(
            "full_path",
            "Full path (Z)",
            "22.5 % each to the first, lead-creation, opportunity-creation and "
            "closed-won touches, 10 % shared by the rest",
            first=0.225,
            lead=0.225,
            last=0.225,
            won=0.225,
            rest=0.1,
        ),
        RuleModel(
            "time_decay",
            f"Time decay (half-life {half_life} days)",
            f"2^(-days before the conversion / {half_life}) per touch, normalised",
            decay=True,
        ),
        RuleModel(
            "j_shaped",
            "J-shaped",
            "20 % first touch, 60 % last touch, 20 % middle",
            first=0.2,
            last=0.6,
            rest=0.2,
        ),
        RuleModel(
            "inverse_j",
            "Inverse J",
            "60 % first touch, 20 % last touch, 20 % middle",
            first=0.6,
            last=0.2,
            rest=0.2,
        ),
    )
