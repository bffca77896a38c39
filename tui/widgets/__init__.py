"""Widgets of the reader app; none of them touches the disk."""
