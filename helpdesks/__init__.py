"""The helpdesks the project talks to through their own REST APIs (Zendesk, Freshdesk, Zammad)."""
