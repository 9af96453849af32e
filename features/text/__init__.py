"""Text analysis of customer messages: conflict signals with evidence, and language detection."""

from features.text.language import detect_language
from features.text.signals import detect_signals

__all__ = ["detect_language", "detect_signals"]
