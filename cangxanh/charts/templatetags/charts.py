"""`{% chart_figure state %}`: a chart's heading, summary, picture, table and files
(charts/figure.html). Pages that use it link `charts/charts.css`."""

from django import template

register = template.Library()


@register.inclusion_tag("charts/figure.html")
def chart_figure(state, heading: int = 2, permalink: bool = True):
    return {
        "state": state,
        "table": state.table,
        "heading": max(2, min(int(heading), 6)),
        "permalink": permalink,
    }
