"""Print center: flyers, posters and the booklet as print-ready PDFs.

``model`` and ``changes`` decide what goes on paper (no WeasyPrint); ``qr`` draws vector
QR codes; ``render`` is the only module that touches WeasyPrint and pypdf; ``build``
writes the whole set (``print_all``) safely and in parallel; ``commands`` is ``guide print``.
"""
