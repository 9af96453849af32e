"""The SLA sweeper: SLA breaches happen when nothing arrives, so something must look at the clock. It wakes at
the earliest `next_due_at` among open tickets, re-assesses the due tickets at that instant and fires their due
reminders and escalations once each (claimed by action id in the store) into the outbox."""

from serving.sweeper.loop import BackgroundLoop
from serving.sweeper.sweeper import Clock, Sweeper, SweepResult

__all__ = ["BackgroundLoop", "Clock", "SweepResult", "Sweeper"]
