"""How scores are checked and aggregated: points within a criterion's maximum (half points where the
campaign allows them), an expert's weighted total, and the campaign's method — the mean, or the
trimmed mean that drops one highest and one lowest score when at least five experts reviewed."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from campaigns.models import Aggregation

TRIM_FROM = 5
CENT = Decimal("0.01")


def parse_points(value, *, maximum: Decimal, half_points: bool) -> Decimal | None:
    """The points typed for a criterion, or None when left empty. Raises ValueError with the reason
    in Chinese for anything else than a number from 0 to the maximum (in halves where allowed)."""
    if value is None or str(value).strip() == "":
        return None
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_("Enter a number.")) from None
    if not points.is_finite():
        raise ValueError(_("Enter a number."))
    if points < 0:
        raise ValueError(_("A score cannot be negative."))
    if points > maximum:
        raise ValueError(_("At most %(max)s points.") % {"max": _plain(maximum)})
    step = Decimal("0.5") if half_points else Decimal("1")
    if points % step:
        raise ValueError(_("Whole or half points only.") if half_points else _("Whole points only."))
    return points


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def aggregate(values: list[Decimal], method: str) -> Decimal | None:
    """The campaign's aggregate of the experts' values, to the cent; None when there are none."""
    if not values:
        return None
    if method == Aggregation.TRIMMED and len(values) >= TRIM_FROM:
        values = sorted(values)[1:-1]
    return (sum(values) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ReviewScores:
    """One submitted review: points per scored criterion, and whether a veto applies."""

    points: dict[int, Decimal]
    vetoed: bool


def expert_total(points: dict[int, Decimal], weights: dict[int, Decimal]) -> Decimal:
    return sum((points.get(c, Decimal(0)) * w for c, w in weights.items()), Decimal(0)).quantize(CENT)


@dataclass(frozen=True)
class Aggregate:
    total: Decimal | None
    by_criterion: dict[int, Decimal]
    spread: Decimal | None
    vetoes: int


def aggregate_reviews(reviews: list[ReviewScores], weights: dict[int, Decimal], method: str) -> Aggregate:
    """Per criterion and in total, by the campaign's method, over the submitted reviews."""
    totals = [expert_total(r.points, weights) for r in reviews]
    return Aggregate(
        total=aggregate(totals, method),
        by_criterion={
            c: value
            for c in weights
            if (value := aggregate([r.points[c] for r in reviews if c in r.points], method)) is not None
        },
        spread=(max(totals) - min(totals)) if totals else None,
        vetoes=sum(r.vetoed for r in reviews),
    )
