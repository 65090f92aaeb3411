"""Pure scorecard arithmetic (issue 5): percentiles, hiding, CSV safety."""

import pytest

from portal.insights.figures import (
    MIN_SAMPLE,
    median,
    neutralise_cell,
    percentile,
    summarise,
)


def test_median_odd_and_even():
    assert median([5, 1, 3]) == 3
    assert median([4, 1, 3, 2]) == 2.5


def test_nearest_rank_p90():
    values = list(range(1, 11))  # 1..10
    assert percentile(values, 0.9) == 9
    assert percentile(values, 1.0) == 10
    assert percentile([7], 0.9) == 7


def test_empty_sample_is_an_error():
    with pytest.raises(ValueError):
        median([])
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_below_minimum_sample_everything_is_hidden():
    figure = summarise([10] * (MIN_SAMPLE - 1), [60] * (MIN_SAMPLE - 1))
    assert figure.hidden
    assert (figure.median, figure.p90, figure.within_target) == (None, None, None)


def test_summary_against_targets():
    durations = [30, 60, 90, 240, 600]
    targets = [240, 240, 240, 240, 240]
    figure = summarise(durations, targets)
    assert not figure.hidden
    assert figure.median == 90
    assert figure.p90 == 600
    assert figure.within_target == pytest.approx(4 / 5)


def test_requests_without_target_do_not_count_towards_share():
    figure = summarise([1, 2, 3, 4, 5, 6], [None, 10, 10, 10, 10, 10])
    assert figure.within_target == 1.0
    figure = summarise([1, 2, 3, 4, 5], [None, 10, 10, 10, 10])
    assert figure.within_target is None


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_are_neutralised(lead):
    assert neutralise_cell(lead + "SUM(A1)") == "'" + lead + "SUM(A1)"


def test_plain_cells_are_unchanged():
    assert neutralise_cell("Printer jam") == "Printer jam"
    assert neutralise_cell(None) == ""
    assert neutralise_cell(4) == "4"
