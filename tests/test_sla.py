"""Business time and SLA clocks: examples, DST edges and properties (hypothesis)."""

from __future__ import annotations

import copy
import time as timer
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.sla import (
    SEARCH_HORIZON_DAYS,
    BusinessCalendar,
    Clock,
    ClockState,
    Pause,
    describe_business_minutes,
    describe_duration,
    measure_clock,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NINE_TO_FIVE = {d: [(time(9), time(17))] for d in range(5)}
EVERY_DAY_NINE_TO_FIVE = {d: [(time(9), time(17))] for d in range(7)}
UK_CHRISTMAS = {date(2026, 12, 25): "Christmas Day", date(2026, 12, 28): "Boxing Day (substitute)"}


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def new_york(*args) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


@pytest.fixture
def office() -> BusinessCalendar:
    return BusinessCalendar("Europe/London", NINE_TO_FIVE, holidays=UK_CHRISTMAS)


# Adding business time ----------------------------------------------------------


def test_friday_afternoon_plus_four_hours_is_monday_noon(office):
    assert office.add_business_minutes(london(2026, 11, 27, 16), 240) == london(2026, 11, 30, 12)


def test_a_weekend_request_starts_counting_on_monday(office):
    assert office.add_business_minutes(london(2026, 11, 28, 10), 60) == london(2026, 11, 30, 10)


def test_holidays_are_skipped(office):
    # Thu 24 Dec 16:30 + 60 min: 30 min on Thursday, then Fri 25 (holiday), weekend,
    # Mon 28 (holiday) -> Tue 29 09:30.
    assert office.add_business_minutes(london(2026, 12, 24, 16, 30), 60) == london(
        2026, 12, 29, 9, 30
    )


def test_due_at_closing_time_is_closing_time_not_next_morning(office):
    assert office.add_business_minutes(london(2026, 11, 24, 16), 60) == london(2026, 11, 24, 17)
    # ...also when the whole day is used up from before opening.
    assert office.add_business_minutes(london(2026, 11, 24, 7), 480) == london(2026, 11, 24, 17)


def test_due_instants_are_utc(office):
    due = office.add_business_minutes(london(2026, 7, 1, 9), 30)
    assert due.tzinfo is UTC and due == datetime(2026, 7, 1, 8, 30, tzinfo=UTC)  # BST


def test_zero_minutes_is_the_start_itself_and_negative_is_refused(office):
    saturday = london(2026, 11, 28, 10)
    assert office.add_business_minutes(saturday, 0) == saturday
    with pytest.raises(ValueError):
        office.add_business_minutes(saturday, -1)
    with pytest.raises(ValueError):
        office.add_business_minutes(saturday, float("nan"))


def test_inputs_in_another_time_zone_mean_the_same_instants(office):
    # 11:00 in New York on Fri 27 Nov 2026 is 16:00 in London.
    assert office.add_business_minutes(new_york(2026, 11, 27, 11), 240) == london(2026, 11, 30, 12)
    assert office.is_open(new_york(2026, 11, 27, 11))
    assert not office.is_open(new_york(2026, 11, 27, 12))  # 17:00 in London
    tokyo = ZoneInfo("Asia/Tokyo")
    start, end = datetime(2026, 11, 23, 18, tzinfo=tokyo), datetime(2026, 11, 24, 2, tzinfo=tokyo)
    assert office.business_minutes_between(start, end) == 480  # 09:00-17:00 London


def test_split_day_skips_lunch():
    calendar = BusinessCalendar("Europe/London", {0: [(time(9), time(12)), (time(13), time(17))]})
    assert calendar.add_business_minutes(london(2026, 11, 23, 11), 120) == london(2026, 11, 23, 14)
    assert calendar.add_business_minutes(london(2026, 11, 23, 11), 60) == london(2026, 11, 23, 12)
    assert not calendar.is_open(london(2026, 11, 23, 12, 30))
    assert calendar.next_opening(london(2026, 11, 23, 12, 30)) == london(2026, 11, 23, 13)
    assert calendar.current_interval_end(london(2026, 11, 23, 10)) == london(2026, 11, 23, 12)
    assert calendar.typical_day_minutes() == 420


def test_many_days_weekends_and_holidays(office):
    # Mon 21 Dec 2026 09:00 + 5 business days: 21-24 Dec, then 29 Dec (25, 28 are holidays).
    assert office.add_business_minutes(london(2026, 12, 21, 9), 5 * 480) == london(2026, 12, 29, 17)
    assert office.business_minutes_between(london(2026, 12, 1), london(2027, 1, 1)) == 21 * 480


def test_nothing_open_within_the_horizon_is_an_error():
    start = date(2026, 1, 1)
    closed = {start + timedelta(days=n): "Refit" for n in range(SEARCH_HORIZON_DAYS + 7)}
    calendar = BusinessCalendar("Europe/London", NINE_TO_FIVE, closures=closed)
    with pytest.raises(ValueError):
        calendar.add_business_minutes(london(2026, 1, 1), 60)
    assert calendar.next_opening(london(2026, 1, 1)) is None


def test_a_calendar_with_no_hours_has_no_due_time():
    calendar = BusinessCalendar("Europe/London", {0: []})
    with pytest.raises(ValueError):
        calendar.add_business_minutes(london(2026, 11, 23), 60)
    assert calendar.next_opening(london(2026, 11, 23)) is None
    assert calendar.business_minutes_between(london(2026, 11, 1), london(2026, 12, 1)) == 0


# Open, closed, next opening ------------------------------------------------------


def test_open_and_next_opening_around_closures(office):
    closed = BusinessCalendar("Europe/London", NINE_TO_FIVE, closures={date(2026, 11, 30): "Move"})
    assert not closed.is_open(london(2026, 11, 30, 10))
    assert closed.next_opening(london(2026, 11, 28, 10)) == london(2026, 12, 1, 9)
    assert closed.closed_reason(date(2026, 11, 30)) == "Move"
    assert office.is_open(london(2026, 11, 30, 10))
    assert office.current_interval_end(london(2026, 11, 30, 10)) == london(2026, 11, 30, 17)
    assert office.closed_reason(date(2026, 12, 25)) == "Christmas Day"
    assert office.closed_reason(date(2026, 12, 24)) is None


def test_next_opening_skips_holidays(office):
    assert not office.is_open(london(2026, 12, 25, 10))
    assert office.intervals_on(date(2026, 12, 25)) == []
    assert office.next_opening(london(2026, 12, 24, 17)) == london(2026, 12, 29, 9)
    assert office.current_interval_end(london(2026, 12, 25, 10)) is None


def test_boundaries_opening_is_open_closing_is_closed(office):
    assert office.is_open(london(2026, 11, 23, 9))
    assert not office.is_open(london(2026, 11, 23, 17))
    assert not office.is_open(london(2026, 11, 23, 8, 59, 59, 999999))
    now = london(2026, 11, 23, 10, 15)
    assert office.next_opening(now) == now  # open now: now
    assert office.next_opening(london(2026, 11, 23, 17)) == london(2026, 11, 24, 9)


def test_a_closure_without_a_reason_still_closes_the_day():
    calendar = BusinessCalendar("Europe/London", NINE_TO_FIVE, closures={date(2026, 11, 30): ""})
    assert not calendar.is_open(london(2026, 11, 30, 10))
    assert calendar.closed_reason(date(2026, 11, 30))


def test_overlapping_hours_count_once():
    calendar = BusinessCalendar("Europe/London", {0: [(time(11), time(17)), (time(9), time(12))]})
    day = london(2026, 11, 23)
    assert calendar.business_minutes_between(day, day + timedelta(days=1)) == 480
    assert calendar.intervals_on(date(2026, 11, 23)) == [
        (london(2026, 11, 23, 9), london(2026, 11, 23, 17))
    ]
    assert calendar.typical_day_minutes() == 480


def test_closing_at_23_59_means_until_midnight():
    always = BusinessCalendar("Europe/London", {d: [(time(0), time(23, 59))] for d in range(7)})
    day = london(2026, 11, 23)
    assert always.business_minutes_between(day, day + timedelta(days=7)) == 7 * 24 * 60
    assert always.current_interval_end(london(2026, 11, 23, 22)) == london(2026, 11, 24)
    assert always.typical_day_minutes() == 24 * 60
    # A 24/7 desk has 23 and 25 real hours on the days the clocks change.
    spring, autumn = london(2026, 3, 29), london(2026, 10, 25)
    assert always.business_minutes_between(spring, london(2026, 3, 30)) == 23 * 60
    assert always.business_minutes_between(autumn, london(2026, 10, 26)) == 25 * 60


def test_naive_datetimes_are_refused(office):
    naive = datetime(2026, 11, 23, 10)
    for call in (
        lambda: office.is_open(naive),
        lambda: office.next_opening(naive),
        lambda: office.current_interval_end(naive),
        lambda: office.add_business_minutes(naive, 60),
        lambda: office.business_minutes_between(naive, london(2026, 11, 24)),
        lambda: measure_clock(office, naive, 60, london(2026, 11, 24)),
        lambda: measure_clock(
            office, london(2026, 11, 23), 60, london(2026, 11, 24), [Pause(naive)]
        ),
    ):
        with pytest.raises(ValueError, match="aware"):
            call()


def test_typical_day_length(office):
    assert office.typical_day_minutes() == 480
    assert BusinessCalendar("Europe/London", {}).typical_day_minutes() == 480
    short_friday = {**NINE_TO_FIVE, 4: [(time(9), time(13))]}
    assert BusinessCalendar("Europe/London", short_friday).typical_day_minutes() == 480


# The calendar as a value ---------------------------------------------------------


def test_calendar_is_an_immutable_hashable_value():
    weekly = {0: [(time(9), time(17))]}
    holidays = {date(2026, 12, 25): "Christmas Day"}
    calendar = BusinessCalendar("Europe/London", weekly, holidays=holidays)
    same = BusinessCalendar("Europe/London", {0: [(time(9), time(17))]}, holidays=dict(holidays))
    assert calendar == same and hash(calendar) == hash(same) and len({calendar, same}) == 1
    assert calendar != replace(calendar, timezone="America/New_York")
    assert copy.deepcopy(calendar) == calendar  # the same __reduce__ path as pickle
    assert calendar.intervals_on(date(2026, 11, 23))  # fill the cache, then mutate the inputs
    weekly[0] = []
    holidays[date(2026, 11, 23)] = "Not any more"
    assert calendar.is_open(london(2026, 11, 23, 10))
    assert calendar.closed_reason(date(2026, 11, 23)) is None
    with pytest.raises(TypeError):
        calendar.holidays[date(2026, 1, 1)] = "New Year"  # type: ignore[index]
    assert {**calendar.holidays} == {date(2026, 12, 25): "Christmas Day"}


@pytest.mark.parametrize(
    ("zone", "weekly"),
    [
        ("Mars/Olympus_Mons", NINE_TO_FIVE),
        ("Europe/London", {7: [(time(9), time(17))]}),
        ("Europe/London", {0: [(time(17), time(9))]}),
        ("Europe/London", {0: [(time(9), time(9))]}),
    ],
)
def test_a_malformed_calendar_is_refused(zone, weekly):
    with pytest.raises(ValueError):
        BusinessCalendar(zone, weekly)


# DST ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Europe/London", date(2026, 3, 29)),  # spring forward, 9-17 untouched
        ("Europe/London", date(2026, 10, 25)),  # fall back
        ("America/New_York", date(2026, 3, 8)),
        ("America/New_York", date(2026, 11, 1)),
    ],
)
def test_a_nine_to_five_day_is_eight_hours_on_dst_change_days(zone, day):
    calendar = BusinessCalendar(zone, EVERY_DAY_NINE_TO_FIVE)
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    assert calendar.business_minutes_between(start, start + timedelta(days=1)) == 480
    ((opens, closes),) = calendar.intervals_on(day)
    assert closes - opens == timedelta(hours=8)
    nine = datetime.combine(day, time(9), tzinfo=ZoneInfo(zone))
    assert calendar.add_business_minutes(nine - timedelta(hours=3), 480) == nine + timedelta(
        hours=8
    )


@pytest.mark.parametrize(("day", "real_hours"), [(date(2026, 3, 8), 2), (date(2026, 11, 1), 4)])
def test_a_night_interval_across_the_change_counts_real_time(day, real_hours):
    calendar = BusinessCalendar("America/New_York", {6: [(time(0), time(3))]})
    start = datetime.combine(day, time(0), tzinfo=NEW_YORK)
    assert calendar.business_minutes_between(start, start + timedelta(days=1)) == real_hours * 60
    assert calendar.add_business_minutes(start, real_hours * 60) == new_york(
        *day.timetuple()[:3], 3
    )


@pytest.mark.parametrize(("day", "real_hours"), [(date(2026, 3, 29), 2), (date(2026, 10, 25), 4)])
def test_london_night_interval_across_the_change(day, real_hours):
    calendar = BusinessCalendar("Europe/London", {6: [(time(0), time(3))]})
    ((opens, closes),) = calendar.intervals_on(day)
    assert closes - opens == timedelta(hours=real_hours)


def test_a_skipped_wall_clock_time_maps_forward_to_the_change():
    # London, Sun 29 Mar 2026: 01:00 GMT becomes 02:00 BST; 01:00-01:59 never happen.
    calendar = BusinessCalendar(
        "Europe/London",
        {6: [(time(1, 30), time(4))]},
    )
    change = datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert calendar.intervals_on(date(2026, 3, 29)) == [(change, london(2026, 3, 29, 4))]
    assert calendar.next_opening(london(2026, 3, 29, 0, 30)) == change
    # An interval wholly inside the skipped hour is dropped (Mon 30 Mar has it whole).
    only_gap = BusinessCalendar("Europe/London", {6: [(time(1, 15), time(1, 45))]})
    assert only_gap.intervals_on(date(2026, 3, 29)) == []
    assert only_gap.intervals_on(date(2026, 4, 5)) != []


def test_an_ambiguous_wall_clock_time_takes_its_first_occurrence():
    # New York, Sun 1 Nov 2026: 01:00-01:59 happen twice (EDT, then EST).
    calendar = BusinessCalendar("America/New_York", {6: [(time(1, 30), time(3))]})
    ((opens, closes),) = calendar.intervals_on(date(2026, 11, 1))
    assert opens == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    assert closes == datetime(2026, 11, 1, 8, tzinfo=UTC)  # 03:00 EST
    assert calendar.is_open(datetime(2026, 11, 1, 6, 30, tzinfo=UTC))  # 01:30 EST, second time


def test_clock_across_a_dst_weekend_still_counts_eight_hours_a_day(office):
    # Fri 23 Oct 2026 09:00 (BST) + 16 business hours = Mon 26 Oct 17:00 (GMT): the clocks
    # went back on Sunday, and neither working day lost or gained an hour.
    due = office.add_business_minutes(london(2026, 10, 23, 9), 960)
    assert due == london(2026, 10, 26, 17)
    assert due - london(2026, 10, 23, 9) == timedelta(days=3, hours=9)  # 8 h + 3 days + 1 h
    clock = measure_clock(office, london(2026, 10, 23, 9), 960, london(2026, 10, 26, 13))
    assert clock.elapsed_minutes == 480 + 240 and clock.due_at == due


def test_spring_forward_weekend_in_new_york():
    calendar = BusinessCalendar("America/New_York", NINE_TO_FIVE)
    friday, monday = new_york(2026, 3, 6, 9), new_york(2026, 3, 9, 17)
    assert calendar.business_minutes_between(friday, monday) == 2 * 480
    assert calendar.add_business_minutes(friday, 2 * 480) == monday


# Words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "day", "words"),
    [
        (30, 480, "30 business minutes"),
        (1, 480, "1 business minute"),
        (0, 480, "0 business minutes"),
        (45, 480, "45 business minutes"),
        (60, 480, "1 business hour"),
        (90, 480, "1.5 business hours"),
        (150, 480, "2.5 business hours"),
        (100, 480, "100 business minutes"),
        (240, 480, "4 business hours"),
        (480, 480, "1 business day"),
        (960, 480, "2 business days"),
        (1440, 480, "3 business days"),
        (600, 480, "10 business hours"),
        (1440, 600, "24 business hours"),
        (450, 450, "1 business day"),
        (630, 420, "10.5 business hours"),
    ],
)
def test_describe_business_minutes(minutes, day, words):
    assert describe_business_minutes(minutes, day) == words


def test_describe_business_minutes_default_day_is_eight_hours():
    assert describe_business_minutes(480) == "1 business day"


@pytest.mark.parametrize(
    ("minutes", "day", "text"),
    [
        (45, 480, "45 business minutes"),
        (0, 480, "0 business minutes"),
        (180, 480, "3 business hours"),
        (130, 480, "2 business hours and 10 business minutes"),
        (480, 480, "1 business day"),
        (59.5, 480, "1 business hour"),
        (44.4, 480, "44 business minutes"),
        (-5, 480, "0 business minutes"),
        # Issue 12: a 12-hour day is a business day (not "1 d 6 h" of 24-hour days) ...
        (18 * 60, 720, "1 business day and 6 business hours"),
        (24 * 60, 720, "2 business days"),
        # ... so is a 10-hour day, and a desk open around the clock counts 24-hour days.
        (13 * 60 + 10, 600, "1 business day and 3 business hours"),
        (27 * 60 + 10, 1440, "1 business day and 3 business hours"),
        (2 * 1440 + 125, 1440, "2 business days and 2 business hours"),
    ],
)
def test_describe_duration_reads_in_the_departments_business_days(minutes, day, text):
    assert describe_duration(minutes, day) == text


@given(
    minutes=st.floats(min_value=-1e4, max_value=1e6, allow_nan=False),
    day=st.sampled_from([60, 450, 480, 600, 720, 1440]),
)
def test_describe_duration_says_business_and_never_more_than_it_was(minutes, day):
    words = describe_duration(minutes, day)
    total = max(0, int(minutes + 0.5))
    units = {"day": day, "days": day, "hour": 60, "hours": 60, "minute": 1, "minutes": 1}
    tokens = words.replace(" and ", " ").split()
    read = 0
    for value, business, unit in zip(tokens[::3], tokens[1::3], tokens[2::3], strict=True):
        assert business == "business"
        read += int(value) * units[unit]
    # whole units down from the rounded minutes: within a day's hour (days) or exact
    assert read <= total and total - read < (60 if total >= day else 1)


# Clocks ------------------------------------------------------------------------


def test_clock_states(office):
    start = london(2026, 11, 23, 9)
    on_track = measure_clock(office, start, 240, london(2026, 11, 23, 10))
    assert on_track.state is ClockState.ON_TRACK and on_track.due_at == london(2026, 11, 23, 13)
    assert on_track.remaining_minutes == 180 and on_track.used_fraction == 0.25
    just_under = measure_clock(office, start, 240, london(2026, 11, 23, 11, 59, 59))
    assert just_under.state is ClockState.ON_TRACK
    at_risk = measure_clock(office, start, 240, london(2026, 11, 23, 12))  # exactly 75 %
    assert at_risk.state is ClockState.AT_RISK
    at_due = measure_clock(office, start, 240, london(2026, 11, 23, 13))  # exactly 100 %
    assert at_due.state is ClockState.AT_RISK and at_due.remaining_minutes == 0
    breached = measure_clock(office, start, 240, london(2026, 11, 23, 13, 1))
    assert breached.state is ClockState.BREACHED
    assert breached.due_at == london(2026, 11, 23, 13)  # when it was crossed
    assert breached.remaining_minutes == -1
    met = measure_clock(
        office, start, 240, london(2026, 11, 24, 9), stopped_at=london(2026, 11, 23, 11)
    )
    assert met == Clock(240, 120, None, london(2026, 11, 23, 11), ClockState.MET)
    missed = measure_clock(
        office, start, 60, london(2026, 11, 24, 9), stopped_at=london(2026, 11, 23, 11)
    )
    assert missed.state is ClockState.MISSED and missed.elapsed_minutes == 120


def test_a_clock_at_its_target_at_closing_time_is_not_breached_overnight(office):
    start = london(2026, 11, 23, 16)
    evening = measure_clock(office, start, 60, london(2026, 11, 23, 20))
    assert evening.state is ClockState.AT_RISK and evening.due_at == london(2026, 11, 23, 17)
    stopped_before_opening = measure_clock(
        office, start, 60, london(2026, 11, 24, 12), stopped_at=london(2026, 11, 24, 8)
    )
    assert stopped_before_opening.state is ClockState.MET
    next_morning = measure_clock(office, start, 60, london(2026, 11, 24, 9, 1))
    assert next_morning.state is ClockState.BREACHED


def test_a_request_raised_out_of_hours_starts_its_clock_at_opening(office):
    clock = measure_clock(office, london(2026, 11, 28, 10), 60, london(2026, 11, 29, 23))
    assert clock.elapsed_minutes == 0 and clock.state is ClockState.ON_TRACK
    assert clock.due_at == london(2026, 11, 30, 10)


def test_paused_clock_is_paused_and_paused_time_never_counts(office):
    start = london(2026, 11, 23, 9)
    pause = Pause(london(2026, 11, 23, 10), london(2026, 11, 23, 14))
    clock = measure_clock(office, start, 240, london(2026, 11, 23, 15), pauses=[pause])
    assert clock.elapsed_minutes == 120  # 9-10 and 14-15
    assert clock.due_at == london(2026, 11, 23, 17)  # 2 h left at 15:00
    assert clock.state is ClockState.ON_TRACK
    still = measure_clock(
        office, start, 240, london(2026, 11, 23, 15), pauses=[Pause(london(2026, 11, 23, 10))]
    )
    assert still.state is ClockState.PAUSED and still.due_at is None and still.elapsed_minutes == 60
    ends_later = Pause(london(2026, 11, 23, 10), london(2026, 11, 24, 10))
    later = measure_clock(office, start, 240, london(2026, 11, 23, 15), pauses=[ends_later])
    assert later.state is ClockState.PAUSED and later.elapsed_minutes == 60


def test_overlapping_pauses_count_once(office):
    start = london(2026, 11, 23, 9)
    pauses = [
        Pause(london(2026, 11, 23, 10), london(2026, 11, 23, 12)),
        Pause(london(2026, 11, 23, 11), london(2026, 11, 23, 13)),
        Pause(london(2026, 11, 23, 11, 30), london(2026, 11, 23, 11, 45)),
    ]
    clock = measure_clock(office, start, 480, london(2026, 11, 23, 14), pauses=pauses)
    assert clock.elapsed_minutes == 120  # 9-10 and 13-14


def test_breached_due_is_found_across_a_weekend_pause(office):
    # Fri 16:00 start, 120 min target, paused Fri 16:30 to Mon 10:00: 30 min on Friday,
    # then 90 more from Mon 10:00 -> due Mon 11:30; at Mon 12:00 the clock is breached.
    start = london(2026, 11, 27, 16)
    pause = Pause(london(2026, 11, 27, 16, 30), london(2026, 11, 30, 10))
    clock = measure_clock(office, start, 120, london(2026, 11, 30, 12), pauses=[pause])
    assert clock.elapsed_minutes == 150
    assert clock.state is ClockState.BREACHED and clock.due_at == london(2026, 11, 30, 11, 30)


def test_replaying_history_ignores_what_has_not_happened_yet(office):
    start = london(2026, 11, 23, 9)
    stop = london(2026, 11, 23, 16)
    pause = Pause(london(2026, 11, 23, 12), london(2026, 11, 23, 13))
    before = measure_clock(office, start, 240, london(2026, 11, 23, 11), [pause], stopped_at=stop)
    assert before.state is ClockState.ON_TRACK and before.stopped_at is None
    assert before.due_at == london(2026, 11, 23, 13)  # the later pause is not known yet
    after = measure_clock(office, start, 240, london(2026, 11, 24, 9), [pause], stopped_at=stop)
    assert after.state is ClockState.MISSED and after.elapsed_minutes == 360


def test_a_clock_stopped_while_paused_counts_up_to_the_stop(office):
    start = london(2026, 11, 23, 9)
    clock = measure_clock(
        office,
        start,
        240,
        london(2026, 11, 24, 9),
        pauses=[Pause(london(2026, 11, 23, 10))],
        stopped_at=london(2026, 11, 23, 15),
    )
    assert clock.state is ClockState.MET and clock.elapsed_minutes == 60


def test_a_clock_on_a_calendar_without_hours_has_no_due_time():
    calendar = BusinessCalendar("Europe/London", {})
    clock = measure_clock(calendar, london(2026, 11, 23, 9), 60, london(2026, 11, 24, 9))
    assert clock.due_at is None and clock.state is ClockState.ON_TRACK


def test_long_spans_are_fast():
    calendar = BusinessCalendar(
        "Europe/London", {d: [(time(9), time(12)), (time(13), time(17))] for d in range(5)}
    )
    began = timer.perf_counter()
    for n in range(200):
        start = london(2026, 1, 1, 10) + timedelta(days=n, minutes=7 * n)
        calendar.business_minutes_between(start, start + timedelta(days=60))
        calendar.add_business_minutes(start, 40 * 420)
    per_call = (timer.perf_counter() - began) / 400
    assert per_call < 0.005  # typically well under a millisecond


# Properties ------------------------------------------------------------------

ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Pacific/Chatham"]
QUARTER_HOURS = 96


def _wall_time(quarter: int) -> time:
    return time(23, 59) if quarter >= QUARTER_HOURS else time(quarter // 4, quarter % 4 * 15)


@st.composite
def calendars(draw):
    weekly = {}
    for weekday in range(7):
        if draw(st.booleans()):
            points = sorted(draw(st.sets(st.integers(0, QUARTER_HOURS), min_size=2, max_size=4)))
            weekly[weekday] = [  # one interval, or a split day
                (_wall_time(points[i]), _wall_time(points[i + 1]))
                for i in range(0, len(points) - 1, 2)
            ]
    if not weekly:
        weekly[draw(st.integers(0, 6))] = [(time(9), time(17))]
    holidays = draw(st.sets(st.dates(date(2025, 1, 1), date(2027, 12, 31)), max_size=20))
    closures = draw(st.sets(st.dates(date(2025, 1, 1), date(2027, 12, 31)), max_size=5))
    return BusinessCalendar(
        draw(st.sampled_from(ZONES)),
        weekly,
        holidays={d: "Holiday" for d in holidays},
        closures={d: "Closed" for d in closures},
    )


instants = st.datetimes(datetime(2025, 1, 1), datetime(2027, 6, 30), timezones=st.just(UTC))
# Instants are generated in UTC (so arithmetic on them is real time) and handed to the
# calendar in a random zone, which must not matter.
views = st.sampled_from([UTC, *map(ZoneInfo, ZONES)])


@settings(max_examples=200, deadline=None)
@given(calendars(), instants, views, st.integers(1, 20_000))
def test_measuring_to_the_due_instant_gives_back_the_minutes(calendar, start, view, minutes):
    try:
        due = calendar.add_business_minutes(start.astimezone(view), minutes)
    except ValueError:  # only when the horizon really does not hold that much open time
        horizon = start + timedelta(days=SEARCH_HORIZON_DAYS - 1)
        assert calendar.business_minutes_between(start, horizon) < minutes
        return
    assert due.tzinfo is UTC
    assert calendar.business_minutes_between(start, due) == pytest.approx(minutes, abs=1e-6)
    # The earliest such instant, inside (or at the end of) an open interval.
    just_before = due - timedelta(microseconds=1)
    assert calendar.business_minutes_between(start, just_before) < minutes
    assert calendar.is_open(just_before)


@settings(max_examples=200, deadline=None)
@given(
    calendars(),
    instants,
    views,
    st.timedeltas(timedelta(0), timedelta(days=30)),
    st.timedeltas(timedelta(0), timedelta(days=30)),
)
def test_more_wall_time_never_means_less_business_time(calendar, start, view, a, b):
    t1, t2 = start + min(a, b), start + max(a, b)
    early = calendar.business_minutes_between(start.astimezone(view), t1.astimezone(view))
    late = calendar.business_minutes_between(start, t2)
    assert 0 <= early <= late <= (t2 - start) / timedelta(minutes=1)


@settings(max_examples=200, deadline=None)
@given(
    calendars(),
    instants,
    st.timedeltas(timedelta(0), timedelta(days=20)),
    st.timedeltas(timedelta(0), timedelta(days=20)),
)
def test_business_time_adds_up(calendar, a, x, y):
    b, c = a + x, a + x + y
    total = calendar.business_minutes_between(a, c)
    parts = calendar.business_minutes_between(a, b) + calendar.business_minutes_between(b, c)
    assert total == pytest.approx(parts, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    calendars(),
    instants,
    st.timedeltas(timedelta(0), timedelta(days=10)),
    st.timedeltas(timedelta(0), timedelta(days=10)),
    st.timedeltas(timedelta(0), timedelta(days=10)),
)
def test_paused_time_never_counts(calendar, start, before_pause, pause_length, after):
    pause = Pause(start + before_pause, start + before_pause + pause_length)
    now = pause.end + after
    plain = measure_clock(calendar, start, 10_000, now)
    paused = measure_clock(calendar, start, 10_000, now, pauses=[pause])
    inside = calendar.business_minutes_between(pause.start, pause.end)
    assert paused.elapsed_minutes == pytest.approx(plain.elapsed_minutes - inside, abs=1e-6)
    if paused.due_at is not None and plain.due_at is not None:
        assert paused.due_at >= plain.due_at


@settings(max_examples=200, deadline=None)
@given(calendars(), instants)
def test_next_opening_is_open_and_nothing_before_it_is(calendar, at):
    opening = calendar.next_opening(at)
    if opening is None:
        assert calendar.business_minutes_between(at, at + timedelta(days=SEARCH_HORIZON_DAYS)) == 0
        return
    assert opening >= at and calendar.is_open(opening)
    assert calendar.business_minutes_between(at, opening) == 0
    assert (opening == at) == calendar.is_open(at)
    end = calendar.current_interval_end(opening)
    assert end is not None and end > opening
    assert calendar.business_minutes_between(opening, end) == (end - opening) / timedelta(minutes=1)


@settings(max_examples=200, deadline=None)
@given(calendars(), st.dates(date(2025, 1, 1), date(2027, 12, 31)))
def test_a_days_intervals_are_ordered_disjoint_and_within_the_day(calendar, day):
    zone = calendar.tz()
    midnight = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    next_midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    intervals = calendar.intervals_on(day)
    previous_end = None
    for opens, closes in intervals:
        assert opens.tzinfo is UTC and midnight <= opens < closes <= next_midnight
        assert previous_end is None or previous_end < opens
        previous_end = closes
    if calendar.closed_reason(day) is not None:
        assert intervals == []


def test_the_template_filters_read_business_time_in_the_departments_days(app):
    env = app.jinja_env
    assert env.from_string("{{ 1080|business_duration(720) }}").render() == (
        "1 business day and 6 business hours"
    )
    assert env.from_string("{{ 1440|business_time(720) }}").render() == "2 business days"
