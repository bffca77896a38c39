"""Claimdesk: read news articles, see their figures and entities, and tag the claims that matter."""

__version__ = "0.1.0"
