"""Template helpers for board papers: runs of text with bold and italic words."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def runs_html(runs) -> SafeString:
    """A paragraph's runs as escaped HTML with <strong> and <em>."""

    def one(run):
        html = format_html("{}", run.text)
        if run.italic:
            html = format_html("<em>{}</em>", html)
        if run.bold:
            html = format_html("<strong>{}</strong>", html)
        return (html,)

    return format_html_join("", "{}", (one(run) for run in runs))
