"""The XLSX layout of the service-quality report (table 4.1 of appendix 7 to
Order No. 186 of the Ministry of Energy of Russia): a header of two lines,
the channel columns with the previous year, the current year and the change
in percent under each, a line of column numbers, the rows, then the notes
that define what is counted. Pure xlsxwriter, no Odoo import."""

import io

import xlsxwriter

FIRST_TABLE_ROW = 3
CELLS_PER_COLUMN = 3


def write_service_quality_workbook(values):
    """Return the bytes of an XLSX file with a sheet per company of
    ``values`` (the dict that ``grid.service.quality.report._report_values``
    returns)."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    formats = _formats(workbook)
    used_names = set()
    for company in values["companies"]:
        sheet = workbook.add_worksheet(_sheet_name(company["name"], used_names))
        _write_sheet(sheet, formats, values, company)
    workbook.close()
    return output.getvalue()


def _sheet_name(name, used_names):
    """Return a sheet name that Excel accepts: at most 31 characters, none
    of []:*?/\\, unique in the workbook."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in name).strip()
    base = (cleaned or "Sheet")[:31]
    candidate, number = base, 1
    while candidate.lower() in used_names:
        number += 1
        suffix = f" ({number})"
        candidate = base[: 31 - len(suffix)] + suffix
    used_names.add(candidate.lower())
    return candidate


def _formats(workbook):
    base = {"font_name": "Times New Roman", "font_size": 11}
    cell = {**base, "border": 1, "valign": "vcenter"}
    return {
        "title": workbook.add_format({**base, "bold": True, "font_size": 12}),
        "subtitle": workbook.add_format(base),
        "header": workbook.add_format(
            {**cell, "bold": True, "align": "center", "text_wrap": True}
        ),
        "number": workbook.add_format({**cell, "align": "center", "font_size": 9}),
        "row_number": workbook.add_format({**cell, "align": "center"}),
        "label": workbook.add_format({**cell, "text_wrap": True}),
        "count": workbook.add_format({**cell, "num_format": "0"}),
        "change": workbook.add_format({**cell, "num_format": "0.00"}),
        "undefined": workbook.add_format({**cell, "align": "center"}),
        "note_title": workbook.add_format({**base, "bold": True}),
        "note": workbook.add_format({**base, "text_wrap": False}),
    }


def _write_sheet(sheet, formats, values, company):
    labels = values["labels"]
    columns = values["columns"]
    last_column = 1 + CELLS_PER_COLUMN * len(columns)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, last_column, 11)

    sheet.merge_range(0, 0, 0, last_column, values["title"], formats["title"])
    sheet.write(
        1,
        0,
        f"{labels['company']}: {company['name']}. {labels['year']}: {values['year']}",
        formats["subtitle"],
    )

    header, subheader, numbers = (
        FIRST_TABLE_ROW,
        FIRST_TABLE_ROW + 1,
        FIRST_TABLE_ROW + 2,
    )
    sheet.merge_range(header, 0, subheader, 0, labels["number"], formats["header"])
    sheet.merge_range(header, 1, subheader, 1, labels["indicator"], formats["header"])
    for index, label in enumerate(columns):
        first = 2 + CELLS_PER_COLUMN * index
        sheet.merge_range(
            header,
            first,
            header,
            first + CELLS_PER_COLUMN - 1,
            label,
            formats["header"],
        )
        sheet.write(subheader, first, values["previous_year"], formats["header"])
        sheet.write(subheader, first + 1, values["year"], formats["header"])
        sheet.write(subheader, first + 2, labels["change"], formats["header"])
    sheet.set_row(header, 45)
    for column in range(last_column + 1):
        sheet.write(numbers, column, column + 1, formats["number"])

    row_index = numbers + 1
    for row in company["rows"]:
        sheet.write(row_index, 0, row["number"], formats["row_number"])
        sheet.write(row_index, 1, row["label"], formats["label"])
        for index, cell in enumerate(row["cells"]):
            first = 2 + CELLS_PER_COLUMN * index
            sheet.write_number(row_index, first, cell["previous"], formats["count"])
            sheet.write_number(row_index, first + 1, cell["current"], formats["count"])
            if cell["change"] is None:
                sheet.write_string(
                    row_index, first + 2, cell["change_text"], formats["undefined"]
                )
            else:
                sheet.write_number(
                    row_index, first + 2, cell["change"], formats["change"]
                )
        row_index += 1
    sheet.freeze_panes(numbers + 1, 2)

    row_index += 1
    definitions = values["definitions"]
    sheet.write(row_index, 0, labels["columns_note"], formats["note_title"])
    for line in definitions["columns"]:
        row_index += 1
        sheet.write(row_index, 0, line, formats["note"])
    row_index += 2
    sheet.write(row_index, 0, labels["rows_note"], formats["note_title"])
    for line in definitions["rows"]:
        row_index += 1
        sheet.write(row_index, 0, line, formats["note"])
