"""Scores as typed and as aggregated: points within the criterion's maximum (halves only where the
campaign allows them), the mean and the trimmed mean, weighted totals, spread and vetoes."""

from decimal import Decimal

import pytest

from campaigns.models import Aggregation
from reviews.scoring import ReviewScores, aggregate, aggregate_reviews, expert_total, parse_points

D = Decimal
MEAN, TRIMMED = Aggregation.MEAN, Aggregation.TRIMMED


def points(value, *, maximum="20", half_points=False):
    return parse_points(value, maximum=D(maximum), half_points=half_points)


# --- parse_points ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000"])
def test_an_empty_score_is_none(value):
    assert points(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", D(0)), ("20", D(20)), (" 8 ", D(8)), (8, D(8)), (D("20.0"), D(20)), ("１５", D(15))],
)
def test_whole_points_from_zero_to_the_maximum_are_taken(value, expected):
    assert points(value) == expected


@pytest.mark.parametrize("value", ["20.5", "21", "20.01", "1e3", 100])
def test_more_than_the_maximum_is_refused(value):
    with pytest.raises(ValueError, match="20"):
        points(value, half_points=True)


@pytest.mark.parametrize("value", ["-1", "-0.5", -3])
def test_a_negative_score_is_refused(value):
    with pytest.raises(ValueError):
        points(value, half_points=True)


@pytest.mark.parametrize("value", ["7.5", "0.5", 19.5])
def test_a_half_point_is_refused_unless_the_campaign_allows_it(value):
    with pytest.raises(ValueError):
        points(value, half_points=False)
    assert points(value, half_points=True) == D(str(value))


@pytest.mark.parametrize("value", ["7.25", "7.1", "0.3"])
def test_other_fractions_are_refused_even_with_half_points(value):
    with pytest.raises(ValueError):
        points(value, half_points=True)


@pytest.mark.parametrize("value", ["abc", "七", "5,5", "1/2", "0x10", "NaN", "sNaN", "Infinity", "-inf", "5分", True])
def test_anything_but_a_number_is_refused(value):
    with pytest.raises(ValueError):
        points(value, half_points=True)


def test_the_messages_say_what_is_wrong_and_differ():
    messages = set()
    for value, half in [("21", True), ("-1", True), ("7.5", False), ("7.25", True), ("abc", True)]:
        with pytest.raises(ValueError) as caught:
            points(value, half_points=half)
        assert str(caught.value).strip()
        messages.add(str(caught.value))
    assert len(messages) == 5


def test_the_maximum_is_the_criterion_own():
    assert points("14", maximum="14") == D(14)
    with pytest.raises(ValueError, match="14"):
        points("15", maximum="14")


# --- aggregate -------------------------------------------------------------------------------


def test_no_values_aggregate_to_none():
    assert aggregate([], MEAN) is None
    assert aggregate([], TRIMMED) is None


def test_the_mean_is_rounded_half_up_to_the_cent():
    assert aggregate([D(80), D(85)], MEAN) == D("82.50")
    assert aggregate([D(1), D(2), D(2)], MEAN) == D("1.67")
    assert aggregate([D("0.005")], MEAN) == D("0.01")


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_the_trimmed_mean_is_the_plain_mean_below_five_values(n):
    values = [D(v) for v in (60, 90, 75, 99)[:n]]
    assert aggregate(values, TRIMMED) == aggregate(values, MEAN)


def test_the_trimmed_mean_drops_one_highest_and_one_lowest_from_five_values():
    values = [D(90), D(60), D(80), D(70), D(100)]
    assert aggregate(values, MEAN) == D("80.00")
    assert aggregate(values, TRIMMED) == D("80.00")
    values = [D(95), D(60), D(82), D(80), D(81)]
    assert aggregate(values, TRIMMED) == D("81.00")  # (80 + 81 + 82) / 3
    assert aggregate(values, MEAN) == D("79.60")


def test_the_trimmed_mean_drops_only_one_of_equal_extremes():
    values = [D(50), D(50), D(70), D(90), D(90)]
    assert aggregate(values, TRIMMED) == D("70.00")  # (50 + 70 + 90) / 3
    values = [D(50), D(50), D(50), D(90), D(100), D(100)]
    assert aggregate(values, TRIMMED) == D("72.50")  # (50 + 50 + 90 + 100) / 4


# --- aggregate_reviews -----------------------------------------------------------------------


WEIGHTS = {1: D(1), 2: D("0.5"), 3: D(2)}


def review(p1, p2, p3, *, vetoed=False):
    return ReviewScores(points={1: D(p1), 2: D(p2), 3: D(p3)}, vetoed=vetoed)


def test_an_expert_total_is_weighted_and_a_missing_criterion_counts_nothing():
    assert expert_total({1: D(10), 2: D(10), 3: D(10)}, WEIGHTS) == D("35.00")
    assert expert_total({1: D(10), 3: D("7.5")}, WEIGHTS) == D("25.00")
    # A criterion outside the weights (a veto item) is not part of the total.
    assert expert_total({1: D(10), 99: D(20)}, {1: D(1)}) == D("10.00")


def test_aggregate_reviews_totals_per_criterion_spread_and_vetoes():
    reviews = [review(10, 10, 10), review(20, 0, 5), review(15, 20, 15, vetoed=True)]
    # Totals: 35, 30, 55.
    outcome = aggregate_reviews(reviews, WEIGHTS, MEAN)
    assert outcome.total == D("40.00")
    assert outcome.by_criterion == {1: D("15.00"), 2: D("10.00"), 3: D("10.00")}
    assert outcome.spread == D(25)
    assert outcome.vetoes == 1


def test_aggregate_reviews_trims_totals_and_criteria_alike_from_five_reviews():
    reviews = [review(p, p, p) for p in (2, 4, 6, 8, 20)]  # totals 3.5 * p: 7, 14, 21, 28, 70
    outcome = aggregate_reviews(reviews, WEIGHTS, TRIMMED)
    assert outcome.total == D("21.00")  # (14 + 21 + 28) / 3
    assert outcome.by_criterion == {1: D("6.00"), 2: D("6.00"), 3: D("6.00")}
    assert outcome.spread == D(63)  # the spread always reads every review
    assert aggregate_reviews(reviews, WEIGHTS, MEAN).total == D("28.00")


def test_aggregate_reviews_without_reviews_has_no_total_and_no_spread():
    outcome = aggregate_reviews([], WEIGHTS, TRIMMED)
    assert (outcome.total, outcome.by_criterion, outcome.spread, outcome.vetoes) == (None, {}, None, 0)


def test_a_criterion_left_out_of_a_review_averages_over_the_reviews_that_scored_it():
    reviews = [ReviewScores(points={1: D(10)}, vetoed=False), ReviewScores(points={1: D(20), 2: D(8)}, vetoed=False)]
    outcome = aggregate_reviews(reviews, {1: D(1), 2: D(1)}, MEAN)
    assert outcome.by_criterion == {1: D("15.00"), 2: D("8.00")}
    assert outcome.total == D("19.00")  # (10 + 28) / 2


def test_every_veto_counts():
    reviews = [review(1, 1, 1, vetoed=True), review(1, 1, 1, vetoed=True), review(1, 1, 1)]
    assert aggregate_reviews(reviews, WEIGHTS, MEAN).vetoes == 2
