"""The web layer of regassist: JSON API, document pages, the Gradio chat, the intranet widget, the admin upload
page — one app (``assistant.web.app.create_app``), run by ``regassist serve`` (``assistant.web.cli``).

Map (every import of another package is in ``backend``):

* ``settings`` — ``ServerSettings`` (pydantic-settings, ``REGASSIST_*``), read at the entry point;
* ``backend`` — ``Engine``: the generation served (corpus + index build + assistant), readiness, hot swaps;
  ``IndexJobs`` for uploads;
* ``context`` — what routes share: the gate, the rate limiter, the conversation tokens, ``answer()``;
* ``gate`` (the one request model and validation of ``/api/ask``), ``limiter``, ``sessions``, ``responses``;
* ``middleware`` — every guard that covers all routes (Gradio's included), apart from the routes;
* ``routes``, ``pages``, ``render``, ``html`` (the one escape helper), ``chat_ui``, ``admin``;
* ``server`` — uvicorn config with a header deadline, ``free_port``, ``ThreadedServer`` for tests.

Everything here renders untrusted text (corpus, questions, query parameters): HTML is produced server-side
with ``html.escape`` on every interpolated value (``html.e``), the widget builds DOM with ``textContent``.
"""
