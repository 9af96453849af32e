"""The managers' dashboard: server-rendered pages (Jinja2) and one small script, mounted at /dashboard."""
