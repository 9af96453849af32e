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
