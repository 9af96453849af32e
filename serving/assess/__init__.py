"""`assess`: the one domain function behind POST /v1/tickets/{id}/events and POST /v1/score — text
analysis of new customer messages, SLA rules, point-in-time features, model score and the decision."""

from serving.assess.assessment import Assessment, Scorers, assess
from serving.assess.decide import Bands, bands_for
from serving.assess.models import LoadedModel, load_escalation_model
from serving.assess.text import analyse_messages

__all__ = [
    "Assessment",
    "Bands",
    "LoadedModel",
    "Scorers",
    "analyse_messages",
    "assess",
    "bands_for",
    "load_escalation_model",
]
