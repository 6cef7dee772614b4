"""部门核对表: a department confirms or corrects its services' elements in a spreadsheet.

``guide review export`` writes the department's elements one row each to an .xlsx workbook;
``guide review import`` reads it back into ``data/services.yaml`` as a reviewed change;
``guide review status`` tells the lead department who has returned what.

Modules, one concern each: ``elements`` (which elements, their text), ``parse`` (a corrected cell
back into the element's shape), ``layout`` (the workbook: writing and reading), ``yamledit`` (the
ruamel round trip of the touched services), ``apply`` (an import: all rows or nothing),
``status`` (progress), ``commands`` (click).
"""
