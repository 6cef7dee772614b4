"""Options of the ``guide`` MkDocs plugin (Material plugin style: typed, validated)."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GuideConfig(Config):
    enabled = c.Type(bool, default=True)
    # The catalog: the one input of the generated pages (relative to mkdocs.yml's folder).
    catalog = c.Type(str, default="data/services.yaml")
    # A folder written by generator.printing (manifest.json + PDFs): copied to site/print/.
    print_dir = c.Optional(c.Type(str))
    # A zip of the file:// bundle, published at download/offline.zip.
    offline_zip = c.Optional(c.Type(str))
    # Write sw.js (precache of the whole site); off for the file:// bundle.
    service_worker = c.Type(bool, default=True)
