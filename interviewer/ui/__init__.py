"""The Gradio UI. views: what is shown · handlers: what each action does · layout: the page · app: serving it."""

from interviewer.ui.app import serve, warm_up
from interviewer.ui.handlers import Handlers
from interviewer.ui.layout import build_ui

__all__ = ["Handlers", "build_ui", "serve", "warm_up"]
