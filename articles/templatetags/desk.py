"""``{% editors_desk as desk %}``: the admin home page's desk for the signed-in user."""

from django import template

from articles.desk import desk_for

register = template.Library()


@register.simple_tag(takes_context=True)
def editors_desk(context):
    request = context.get("request")
    return desk_for(getattr(request, "user", None))
