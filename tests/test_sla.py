"""Business time and SLA clocks: examples, DST edges and properties (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from portal.sla import (
    BusinessCalendar,
    ClockState,
    Pause,
    describe_business_minutes,
    describe_duration,
    measure_clock,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NINE_TO_FIVE = {d: [(time(9), time(17))] for d in range(5)}
UK_CHRISTMAS = {date(2026, 12, 25): "Christmas Day", date(2026, 12, 28): "Boxing Day (substitute)"}


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def office() -> BusinessCalendar:
    return BusinessCalendar("Europe/London", NINE_TO_FIVE, holidays=UK_CHRISTMAS)


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


def test_split_day_skips_lunch():
    calendar = BusinessCalendar("Europe/London", {0: [(time(9), time(12)), (time(13), time(17))]})
    assert calendar.add_business_minutes(london(2026, 11, 23, 11), 120) == london(2026, 11, 23, 14)
    assert not calendar.is_open(london(2026, 11, 23, 12, 30))
    assert calendar.next_opening(london(2026, 11, 23, 12, 30)) == london(2026, 11, 23, 13)


def test_open_and_next_opening_around_closures(office):
    closed = BusinessCalendar("Europe/London", NINE_TO_FIVE, closures={date(2026, 11, 30): "Move"})
    assert not closed.is_open(london(2026, 11, 30, 10))
    assert closed.next_opening(london(2026, 11, 28, 10)) == london(2026, 12, 1, 9)
    assert office.is_open(london(2026, 11, 30, 10))
    assert office.current_interval_end(london(2026, 11, 30, 10)) == london(2026, 11, 30, 17)
    assert office.closed_reason(date(2026, 12, 25)) == "Christmas Day"


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("Europe/London", date(2026, 3, 29), 8),  # spring forward, 9-17 untouched
        ("Europe/London", date(2026, 10, 25), 8),  # fall back
        ("America/New_York", date(2026, 3, 8), 8),
        ("America/New_York", date(2026, 11, 1), 8),
    ],
)
def test_a_nine_to_five_day_is_eight_hours_on_dst_change_days(zone, day, hours):
    calendar = BusinessCalendar(zone, {d: [(time(9), time(17))] for d in range(7)})
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    assert calendar.business_minutes_between(start, start + timedelta(days=1)) == hours * 60


@pytest.mark.parametrize(("day", "real_hours"), [(date(2026, 3, 8), 2), (date(2026, 11, 1), 4)])
def test_a_night_interval_across_the_change_counts_real_time(day, real_hours):
    calendar = BusinessCalendar("America/New_York", {6: [(time(0), time(3))]})
    start = datetime.combine(day, time(0), tzinfo=NEW_YORK)
    assert calendar.business_minutes_between(start, start + timedelta(days=1)) == real_hours * 60


def test_clock_across_a_dst_weekend_still_counts_eight_hours_a_day(office):
    # Fri 23 Oct 2026 09:00 (BST) + 16 business hours = Mon 26 Oct 17:00 (GMT): the clocks
    # went back on Sunday, and neither working day lost or gained an hour.
    due = office.add_business_minutes(london(2026, 10, 23, 9), 960)
    assert due == london(2026, 10, 26, 17)
    assert due - london(2026, 10, 23, 9) == timedelta(days=3, hours=9)  # 8 h + 3 days + 1 h


def test_naive_datetimes_are_refused(office):
    with pytest.raises(ValueError, match="aware"):
        office.is_open(datetime(2026, 11, 23, 10))


def test_a_calendar_with_no_hours_has_no_due_time():
    with pytest.raises(ValueError):
        BusinessCalendar("Europe/London", {}).add_business_minutes(london(2026, 11, 23), 60)


def test_typical_day_length(office):
    assert office.typical_day_minutes() == 480
    assert BusinessCalendar("Europe/London", {}).typical_day_minutes() == 480


@pytest.mark.parametrize(
    ("minutes", "day", "words"),
    [
        (30, 480, "30 business minutes"),
        (1, 480, "1 business minute"),
        (60, 480, "1 business hour"),
        (90, 480, "1.5 business hours"),
        (240, 480, "4 business hours"),
        (480, 480, "1 business day"),
        (1440, 480, "3 business days"),
        (600, 480, "10 business hours"),
        (1440, 600, "24 business hours"),
        (45, 480, "45 business minutes"),
    ],
)
def test_describe_business_minutes(minutes, day, words):
    assert describe_business_minutes(minutes, day) == words


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(45, "45 min"), (180, "3 h"), (130, "2 h 10 min"), (27 * 60, "1 d 3 h"), (-5, "0 min")],
)
def test_describe_duration(minutes, text):
    assert describe_duration(minutes) == text


def test_clock_states(office):
    start = london(2026, 11, 23, 9)
    assert measure_clock(office, start, 240, london(2026, 11, 23, 10)).state is ClockState.ON_TRACK
    assert measure_clock(office, start, 240, london(2026, 11, 23, 12)).state is ClockState.AT_RISK
    assert (
        measure_clock(office, start, 240, london(2026, 11, 23, 13, 1)).state is ClockState.BREACHED
    )
    met = measure_clock(
        office, start, 240, london(2026, 11, 24, 9), stopped_at=london(2026, 11, 23, 11)
    )
    assert met.state is ClockState.MET and met.elapsed_minutes == 120
    missed = measure_clock(
        office, start, 60, london(2026, 11, 24, 9), stopped_at=london(2026, 11, 23, 11)
    )
    assert missed.state is ClockState.MISSED


def test_paused_clock_is_paused_and_paused_time_never_counts(office):
    start = london(2026, 11, 23, 9)
    pause = Pause(london(2026, 11, 23, 10), london(2026, 11, 23, 14))
    clock = measure_clock(office, start, 240, london(2026, 11, 23, 15), pauses=[pause])
    assert clock.elapsed_minutes == 120  # 9-10 and 14-15
    assert clock.due_at == london(2026, 11, 23, 17)  # 2 h left at 15:00
    still = measure_clock(
        office, start, 240, london(2026, 11, 23, 15), pauses=[Pause(london(2026, 11, 23, 10))]
    )
    assert still.state is ClockState.PAUSED and still.due_at is None and still.elapsed_minutes == 60


# Properties ------------------------------------------------------------------

ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Pacific/Chatham"]


@st.composite
def calendars(draw):
    weekly = {}
    for weekday in range(7):
        if draw(st.booleans()):
            opens = draw(st.integers(0, 20))
            length = draw(st.integers(1, 23 - opens))
            if draw(st.booleans()) and length >= 3:  # a split day
                weekly[weekday] = [
                    (time(opens), time(opens + 1)),
                    (time(opens + 2), time(opens + length)),
                ]
            else:
                weekly[weekday] = [(time(opens), time(opens + length))]
    if not weekly:
        weekly[draw(st.integers(0, 6))] = [(time(9), time(17))]
    holidays = draw(st.sets(st.dates(date(2025, 1, 1), date(2027, 12, 31)), max_size=20))
    return BusinessCalendar(
        draw(st.sampled_from(ZONES)), weekly, holidays={d: "Holiday" for d in holidays}
    )


instants = st.datetimes(datetime(2025, 1, 1), datetime(2027, 6, 30), timezones=st.just(UTC))


@settings(max_examples=200, deadline=None)
@given(calendars(), instants, st.integers(1, 20_000))
def test_measuring_to_the_due_instant_gives_back_the_minutes(calendar, start, minutes):
    try:
        due = calendar.add_business_minutes(start, minutes)
    except ValueError:  # a sparse calendar may not reach it within the 400-day horizon
        assume(False)
    assert calendar.business_minutes_between(start, due) == pytest.approx(minutes, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    calendars(),
    instants,
    st.timedeltas(timedelta(0), timedelta(days=30)),
    st.timedeltas(timedelta(0), timedelta(days=30)),
)
def test_more_wall_time_never_means_less_business_time(calendar, start, a, b):
    t1, t2 = start + min(a, b), start + max(a, b)
    assert calendar.business_minutes_between(start, t1) <= calendar.business_minutes_between(
        start, t2
    )


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
