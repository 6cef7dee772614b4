"""业务流程图: a flowchart per service and a journey chart for the whole 一件事, from the catalog.

``graph`` turns a ``Catalog`` into plain ``Graph`` values (nodes, edges, stage clusters)
and writes them as DOT; it knows nothing of Graphviz itself. ``render`` runs Graphviz
(``dot -Tsvg``) once for many graphs and cleans the SVG so it is byte-reproducible and
can be inlined in HTML and in the print templates. Neither imports MkDocs or WeasyPrint:
the site plugin and ``guide print`` only call ``render.catalog_charts``.
"""

from .graph import Graph, journey_chart, service_chart
from .render import ChartError, catalog_charts, render_svgs

__all__ = ["Graph", "journey_chart", "service_chart", "ChartError", "catalog_charts", "render_svgs"]
