"""Stores and builds: the node layout, BM25 and Chroma stores, the atomic incremental build."""
