"""Seeded generator of realistic synthetic ticket histories (the committed sample and benchmark data)."""
