"""Words for managers: the model's reasons, the next step, durations and local times, in English, German
and Norwegian (the dashboard's `language` setting). Pure: values and a language in, text out."""

from serving.wording.clock import LANGUAGES, business_time, local_time, span
from serving.wording.reasons import reason_words

__all__ = ["LANGUAGES", "business_time", "local_time", "reason_words", "span"]
