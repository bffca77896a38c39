"""Unit tests of the headless core: parametrized tables and properties, no Textual, no network
beyond 127.0.0.1; the root conftest isolates the cache, author and user folders."""
