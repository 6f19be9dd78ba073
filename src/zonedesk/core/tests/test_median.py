from decimal import Decimal

from zonedesk.core.median import median, whole


def test_median_of_an_odd_count_is_the_middle_value():
    assert median([30, 10, 20]) == Decimal(20)


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values():
    assert median([10, 11]) == Decimal("10.5")
    assert median([1.5, 2.0, 9.0, 3.0]) == Decimal("2.5")


def test_median_of_nothing_is_none():
    assert median([]) is None
    assert whole(None) is None


def test_whole_days_round_half_up_not_to_even():
    assert [whole(Decimal("10.5")), whole(Decimal("11.5")), whole(10.49), whole(-0.5)] == [11, 12, 10, -1]
