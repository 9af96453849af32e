"""`StoreContext`: the features' FeatureContext answered from the store. Customer facts reuse the training
code (HistoryContext over the customer's other tickets as of t), so serving and training agree; the assignee's
load is the store's current count of their open tickets (the store keeps current state only)."""

from __future__ import annotations

from datetime import datetime

from features.ticket import CustomerFacts, HistoryContext
from serving.store.repository import Store


class StoreContext:
    def __init__(self, store: Store) -> None:
        self.store = store

    def customer_facts(self, customer_id: str, at: datetime, exclude: str) -> CustomerFacts:
        pairs = self.store.customer_tickets(customer_id, at, exclude)
        if not pairs:
            return CustomerFacts()
        return HistoryContext(pairs).customer_facts(customer_id, at, exclude)

    def assignee_open_tickets(self, assignee: str, at: datetime, exclude: str) -> int:
        return self.store.assignee_open_tickets(assignee, exclude)
