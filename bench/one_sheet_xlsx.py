"""The smallest .xlsx a reader must open: one sheet, its zip written by hand.

The tests of the workbook reader and the abuse run build workbooks no office program saves (a cell at
XFD1048576, a sheet that unzips to gigabytes), so they write the zip themselves. The workbook part and
its link to the one sheet are the same in all of them, and written here.
"""

from __future__ import annotations

import zipfile

SHEET = "xl/worksheets/sheet1.xml"


def add_workbook(z: zipfile.ZipFile) -> None:
    """Write the workbook (one sheet, "Sheet1") and its relationship to `SHEET`; the caller writes `SHEET`."""
    z.writestr(
        "xl/workbook.xml",
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    )
    z.writestr(
        "xl/_rels/workbook.xml.rels",
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
    )
