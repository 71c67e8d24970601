"""utils.classroom: the late-submission policy (the export is checked in tests/test_classroom.py)."""

from __future__ import annotations

import pytest

from utils.classroom import DAY, LatePenalty, _num


@pytest.mark.parametrize(
    "seconds_late,score,penalty",
    [
        (0, 7.0, 0.0),  # on time
        (1, 4.0, 0.4),  # one second late = one started day: 10 % of the earned points
        (DAY, 4.0, 0.4),  # exactly 24 h late: still the first day
        (DAY + 1, 4.0, 0.8),  # the second day has started
        (9.5 * DAY, 5.0, 5.0),  # ten started days: nothing left
        (30 * DAY, 5.0, 5.0),  # never more than the score
        (3 * DAY, 0.0, 0.0),  # nothing earned, nothing to take
    ],
)
def test_late_penalty_policy(seconds_late, score, penalty):
    assert LatePenalty().late_submission_penalty("s", score, seconds_late) == pytest.approx(penalty, abs=1e-12)


def test_late_penalty_grace_and_rate_are_settings():
    plugin = LatePenalty(grace_seconds=300, fraction_per_day=0.25)
    assert plugin.late_submission_penalty("s", 8.0, 299) == 0.0
    assert plugin.late_submission_penalty("s", 8.0, 301) == pytest.approx(2.0)


def test_numbers_are_written_plainly():
    assert [_num(7.0), _num(3.6), _num(0.4), _num(None), _num(1 / 3)] == ["7", "3.6", "0.4", "0", "0.333333"]
