"""Retrieval: query understanding, fusion, scoring and the hybrid retriever."""
