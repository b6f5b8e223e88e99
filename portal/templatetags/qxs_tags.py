"""Template helpers of the public site."""

import os

from django import template
from django.template.loader_tags import BlockNode
from django.utils.translation import get_language

from qxs.cache import kept_for_generation
from qxs.fragments import fragments

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


class FragmentNode(template.Node):
    """``{% fragment %}``: see ``qxs.fragments``.

    Its content is not walked when ``{% extends %}`` looks for blocks (``child_nodelists`` is
    empty): Django walks the parent template's whole tree on every render, and the fragments of
    ``base.html`` hold most of it. So a fragment may not contain a ``{% block %}``; the tag
    refuses one.
    """

    child_nodelists = ()

    def __init__(self, nodelist, name, per_generation, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.per_generation = per_generation
        self.vary_on = vary_on

    def render(self, context):
        if context.get("fragment_cache_off"):
            return self.nodelist.render(context)
        key = (self.name, get_language(), *(_hashable(v.resolve(context)) for v in self.vary_on))
        if self.per_generation:
            return kept_for_generation(
                context.get("request"), key, lambda: self.nodelist.render(context)
            )
        html = fragments.get(key)
        if html is None:
            html = self.nodelist.render(context)
            fragments.put(key, html)
        return html


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


@register.tag
def fragment(parser, token):
    """Keep the rendered block in the process's fragment store (``qxs.fragments``).

    ``{% fragment "name" [per_generation] value ... %}…{% endfragment %}``: the key is the name,
    the language and the values, which must be every value the block shows (by content), or
    include ``per_generation`` when the block depends on public content at large. A context with
    ``fragment_cache_off`` (the admin preview) renders the block every time.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name.")
    name = bits[1].strip("\"'")
    rest = bits[2:]
    per_generation = bool(rest) and rest[0] == "per_generation"
    if per_generation:
        rest = rest[1:]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% fragment %} may not contain a {% block %}.")
    return FragmentNode(nodelist, name, per_generation, [parser.compile_filter(b) for b in rest])


@register.simple_tag
def article_row_key(article, show_column=False, show_summary=False, column=None):
    """Every value a row of ``includes/article_items.html`` shows, as its ``{% fragment %}`` key.

    Only the fields the row shows are read, so a list loaded with ``only()`` stays one query.
    """
    with_column = bool(show_column) and not column
    return (
        article.pk,
        article.title,
        article.published_at,
        article.created_at,
        article.is_stub,
        (article.column.name, article.column.slug) if with_column else None,
        article.summary if show_summary else None,
    )
