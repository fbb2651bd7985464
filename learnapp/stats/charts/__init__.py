"""The statistics charts as inline SVG, drawn on the server from the figures. Pure: no Flask, no database.

Every chart is a `markupsafe.Markup` holding one `<svg>`: scaled by its viewBox to the width of its
container (width="100%", no fixed size), with role="img", a <title> and a <desc> (referenced by
aria-labelledby), the title also drawn at the top, labelled axes, a legend where there are series, and a
<title> tooltip on each mark. Our Content-Security-Policy forbids inline styles, so there is no style
attribute and no <style> element: colours come from the app's stylesheet through the CSS classes listed in
CSS_CLASSES (the root <svg> carries "chart" and "chart-<kind>"). The few presentation attributes used are
geometry, font-size and text-anchor.

Each chart has a text alternative: the matching `*_table` function returns a `DataTable` that the template
renders as a <table> (inside a <details>), or through `DataTable.html()`.

Every text put into the markup is escaped (deck titles come from users).
"""

from learnapp.stats.charts.calendar import heatmap_chart, heatmap_table
from learnapp.stats.charts.cards import (
    card_states_chart,
    card_states_table,
    deck_progress_chart,
    deck_progress_table,
    forecast_chart,
    forecast_table,
)
from learnapp.stats.charts.days import (
    daily_table,
    minutes_chart,
    retention_chart,
    retention_table,
    reviews_chart,
)
from learnapp.stats.charts.svg import CSS_CLASSES, DataTable
from learnapp.stats.figures import MASTERED_STABILITY_DAYS

__all__ = [
    "CSS_CLASSES",
    "MASTERED_STABILITY_DAYS",
    "DataTable",
    "card_states_chart",
    "card_states_table",
    "daily_table",
    "deck_progress_chart",
    "deck_progress_table",
    "forecast_chart",
    "forecast_table",
    "heatmap_chart",
    "heatmap_table",
    "minutes_chart",
    "retention_chart",
    "retention_table",
    "reviews_chart",
]
