"""Answering settings (pydantic-settings, ``REGASSIST_*``): read at an entry point, passed to ``Assistant``."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AnswerSettings(BaseSettings):
    """How answers are composed and what questions are accepted."""

    model_config = SettingsConfigDict(env_prefix="REGASSIST_", env_file=".env", extra="ignore")

    # abstain when retrieval confidence is below this (calibrated on the dev split: ba0ade6)
    abstain_below: float = Field(default=0.35, ge=0.0, le=1.0)
    # units the composer may draw from, and how deep the trace's ranking goes (MRR@10 in the evaluation)
    top_k: int = Field(default=5, ge=1, le=50)
    trace_depth: int = Field(default=10, ge=1, le=50)
    # the one limit on a question's length (API, CLI, chat and widget all pass through AskRequest)
    max_question_chars: int = Field(default=2000, ge=10, le=20000)
    max_turns: int = Field(default=20, ge=1, le=200)
