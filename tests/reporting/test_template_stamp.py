"""A template's version stamp fits Excel whatever the number of rows.

It was one document property: for 5,000 rows about 35,000 characters, over Excel's
32,767, so the app refused its own template of a large plan on upload.
"""

import io

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty

from indicators.importers.workbook import open_workbook
from indicators.reporting.sheet import (
    MAX_STAMP_CHARS,
    VERSIONS_PROPERTY,
    _stamp_parts,
    template_versions,
)


def stamped_workbook(count: int) -> bytes:
    versions = [f"{number}={number % 7}" for number in range(1, count + 1)]
    workbook = Workbook()
    for index, part in enumerate(_stamp_parts(versions)):
        name = VERSIONS_PROPERTY if index == 0 else f"{VERSIONS_PROPERTY}{index + 1}"
        workbook.custom_doc_props.append(StringProperty(name=name, value=part))
    workbook.save(buffer := io.BytesIO())
    return buffer.getvalue()


def test_a_5000_row_stamp_passes_the_upload_checks_and_reads_back_whole():
    workbook = open_workbook("模板.xlsx", stamped_workbook(5000))

    versions = template_versions(workbook)

    assert len(versions) == 5000
    assert versions["1"] == 1 and versions["4999"] == 4999 % 7 and versions["5000"] == 5000 % 7
    props = [p for p in workbook.custom_doc_props.props if p.name.startswith(VERSIONS_PROPERTY)]
    assert len(props) == 2 and all(len(p.value) <= MAX_STAMP_CHARS for p in props)


def test_a_small_stamp_is_one_property_as_before():
    parts = _stamp_parts(["1=0", "2=3"])
    assert parts == ["1=0;2=3"]
