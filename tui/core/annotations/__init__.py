"""Annotations: records, anchoring, the store and its storage, export and interchange formats."""
