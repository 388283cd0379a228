import pytest

from realpolitik.errors import ConfigError
from realpolitik.memo import Remembered


def test_an_answer_is_worked_out_once_and_all_are_dropped_at_the_limit():
    asked = []
    double = Remembered(lambda x: asked.append(x) or 2 * x, limit=3)
    assert [double(k) for k in (1, 2, 1, 3, 2)] == [2, 4, 2, 6, 4]
    assert asked == [1, 2, 3] and len(double) == 3
    assert double(4) == 8 and len(double) == 1  # full: everything kept was dropped first
    double.forget()
    assert len(double) == 0 and double(1) == 2 and asked[-1] == 1


def test_a_none_answer_is_kept_too():
    asked = []
    nothing = Remembered(lambda x: asked.append(x))
    assert nothing("a") is None and nothing("a") is None and asked == ["a"]


@pytest.mark.parametrize("limit", [0, -5])
def test_a_limit_below_one_is_refused(limit):
    with pytest.raises(ConfigError, match="at least 1"):
        Remembered(str, limit=limit)
