"""Print center: flyers, posters and the booklet as print-ready PDFs.

``model`` and ``changes`` decide what goes on paper (no WeasyPrint); ``render`` fills the
templates in ``templates/`` and hands the HTML to ``generator.pdf`` (the one WeasyPrint door),
then pypdf labels the booklet's pages; ``build`` writes the whole set (``print_all``) safely
and in parallel, with pypdf counting pages and poppler drawing previews; ``commands`` is
``guide print``. QR codes come from ``generator.qr``.
"""
