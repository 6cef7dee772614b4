"""我的清单: a few questions, the services that apply, one merged list of materials.

``merge`` is the domain (selection and merge, also mirrored by ``app.js``), ``page`` the site page
body, ``pdf`` the A4 sheet for ``guide print --checklist``, ``text`` the wording both share.
"""
