"""The headless core: articles, extraction, anchoring, storage and export. Never imports Textual."""
