"""Admin integration of the API: its audit log actions."""

from wagtail import hooks

from .audit import register_api_actions

hooks.register("register_log_actions", register_api_actions)
