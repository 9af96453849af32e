import numpy as np
import pytest

from core.errors import ConfigError
from training.calibration import Calibrator, fit_calibrator


@pytest.mark.parametrize("method", ["isotonic", "platt"])
def test_calibration_fixes_inflated_scores(method: str) -> None:
    rng = np.random.default_rng(0)
    truth = rng.uniform(0, 0.3, 5000)
    labels = rng.uniform(size=5000) < truth
    raw = np.sqrt(truth)  # over-confident scores
    calibrator = fit_calibrator(method, raw, labels)
    before = np.mean((raw - labels) ** 2)
    after = np.mean((calibrator.apply(raw) - labels) ** 2)
    assert after < before
    assert Calibrator.from_dict(calibrator.to_dict()) == calibrator


def test_unknown_method() -> None:
    with pytest.raises(ConfigError, match="use one of isotonic, platt, none"):
        fit_calibrator("beta", np.array([0.1]), np.array([1]))


def test_isotonic_calibration_keeps_the_scores_order_inside_a_step() -> None:
    # plain isotonic maps a whole step of raw scores to one risk: tickets tie on the early-warning list
    rng = np.random.default_rng(1)
    truth = rng.uniform(0, 0.4, 3000)
    labels = rng.uniform(size=3000) < truth
    raw = np.sqrt(truth)
    calibrator = fit_calibrator("isotonic", raw, labels)
    assert all(b > a for a, b in zip(calibrator.knots_y, calibrator.knots_y[1:], strict=False))
    inner = np.linspace(calibrator.knots_x[0], calibrator.knots_x[-1], 500)[1:-1]
    risks = calibrator.apply(inner)
    assert len(np.unique(risks)) == len(inner) and np.all(np.diff(risks) > 0)
    before = np.mean((raw - labels) ** 2)
    assert np.mean((calibrator.apply(raw) - labels) ** 2) < before
