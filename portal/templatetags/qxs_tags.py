"""Template helpers of the public site."""

import os

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """``path`` as an absolute URL for canonical links, Open Graph and feeds."""
    request = context.get("request")
    if request is None or not path:
        return path or ""
    return request.build_absolute_uri(path)


@register.filter
def file_type(file_name):
    """The upper-case extension of a file name ("PDF", "DOCX"), or an empty string."""
    extension = os.path.splitext(str(file_name or ""))[1].lstrip(".")
    return extension.upper()


@register.simple_tag
def elided_pages(page_obj, on_each_side=2, on_ends=1):
    """The page numbers to link, with ``Paginator.ELLIPSIS`` where pages are skipped."""
    return page_obj.paginator.get_elided_page_range(
        page_obj.number, on_each_side=on_each_side, on_ends=on_ends
    )
