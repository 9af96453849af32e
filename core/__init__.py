"""Shared domain types, the one settings object and the error family. Imports nothing of ours."""
