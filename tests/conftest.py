"""Shared fixtures: the real corpus, the real embedder, a real (embedded Chroma) index.

The index and the rebuilt e5 model live under ``.regassist-data/test`` (git-ignored; ``REGASSIST_TEST_DATA_DIR``
chooses another directory, an exported ``REGASSIST_DATA_DIR`` does not) so repeated runs reuse the embedding cache;
a clean checkout builds them once (the first build takes about a minute).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# the tests' own data dir, whatever REGASSIST_DATA_DIR the shell exports: a test run once built a shipped-only index
# into an evaluation data dir exported for `regassist eval` (REGASSIST_TEST_DATA_DIR chooses another one on purpose)
os.environ["REGASSIST_DATA_DIR"] = os.environ.get("REGASSIST_TEST_DATA_DIR", str(ROOT / ".regassist-data" / "test"))


@pytest.fixture(scope="session")
def settings():
    """The index settings of the test data dir (tests are an entry point: they read the environment once)."""
    from index.settings import IndexSettings

    return IndexSettings()


@pytest.fixture(scope="session")
def corpus():
    from corpus.store import load_corpus

    return load_corpus()


@pytest.fixture(scope="session")
def built_index(corpus, settings):
    from index.stores.build import build_index

    return build_index(corpus, settings, progress=False)


@pytest.fixture(scope="session")
def retriever(corpus, settings, built_index):
    from index.retrieval.retriever import load_retriever

    return load_retriever(corpus, settings)


@pytest.fixture(scope="session")
def assistant(corpus, retriever):
    from assistant.service import Assistant
    from assistant.settings import AnswerSettings

    return Assistant(corpus, retriever, AnswerSettings())


@pytest.fixture(scope="session")
def one_text():
    """A corpus of one hand-written text, read as a user's file is: ``doc, corpus = one_text(text)``."""
    from corpus.catalog import load_catalog
    from corpus.reader import read_text
    from corpus.store import Corpus

    catalog = load_catalog()

    def read(text: str):
        doc = read_text(text, "x").document
        return doc, Corpus([doc], catalog)

    return read
