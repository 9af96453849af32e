"""`StoreContext`: the features' FeatureContext answered from the store. Customer facts reuse the training
code (a HistoryContext over the customer's other tickets, which answers as of t), so serving and training
agree; the assignee's load is the store's current count of their open tickets (the store keeps current state
only).

A customer's HistoryContext is kept per (customer, ticket) and rebuilt only when the customer's other tickets
change (their tickets, events and newest event number: one indexed query per request): a conversation on one
ticket does not re-read and re-validate the customer's whole history with every message, which for a customer
with hundreds of tickets would cost more than the rest of the request."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from features.ticket import CustomerFacts, HistoryContext
from serving.store.repository import Store

Version = tuple[int, int, int]


class StoreContext:
    def __init__(self, store: Store, cache_size: int = 1024) -> None:
        self.store = store
        self._size = cache_size
        self._cache: OrderedDict[tuple[str, str], tuple[Version, HistoryContext]] = OrderedDict()
        self._lock = threading.Lock()  # requests run in a thread pool

    def customer_facts(self, customer_id: str, at: datetime, exclude: str) -> CustomerFacts:
        version = self.store.customer_history_version(customer_id, exclude)
        if version[0] == 0:
            return CustomerFacts()
        key = (customer_id, exclude)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == version:
                self._cache.move_to_end(key)
                return hit[1].customer_facts(customer_id, at, exclude)
        # read after the version: if an event lands in between, the context is newer than its version and the
        # next request rebuilds it — never older
        context = HistoryContext(self.store.customer_history(customer_id, exclude))
        with self._lock:
            self._cache[key] = (version, context)
            self._cache.move_to_end(key)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return context.customer_facts(customer_id, at, exclude)

    def assignee_open_tickets(self, assignee: str, at: datetime, exclude: str) -> int:
        return self.store.assignee_open_tickets(assignee, exclude)
