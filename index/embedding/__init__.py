"""Embedding backends: a small ``Embedder`` protocol (``base``), one backend per file, export apart."""
