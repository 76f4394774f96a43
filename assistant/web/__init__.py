"""Web front ends of regassist: document pages, the Gradio chat, the intranet widget, HTTP guards.

Everything here renders untrusted text (corpus, questions, query parameters): HTML is produced
server-side with ``html.escape`` on every interpolated value, the widget builds DOM with
``textContent``.
"""
