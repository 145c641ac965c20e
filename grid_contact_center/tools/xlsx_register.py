"""Streaming XLSX writer of the register of interactions. Rows go to disk
as they come (xlsxwriter's constant_memory mode), so memory stays bounded
whatever the number of rows. Pure xlsxwriter, no Odoo import."""

import xlsxwriter

# Excel stops at 1,048,576 rows per sheet; the header takes the first one.
MAX_DATA_ROWS = 1_048_575

# Column kinds: how a value is written and how wide the column is.
KIND_WIDTHS = {"text": 24, "datetime": 17, "boolean": 10, "number": 12}


def write_register_workbook(path, title, columns, rows, boolean_labels):
    """Write the register to the XLSX file ``path`` and return the number
    of data rows written.

    ``columns`` is a list of ``(label, kind)`` with ``kind`` in
    :data:`KIND_WIDTHS`; ``rows`` is an iterable of tuples in the same order.
    A ``datetime`` value is an Excel serial day number (days since
    1899-12-30, local time), a ``boolean`` value is written as one of the
    two ``boolean_labels`` (for true, for false). Raises ValueError past
    Excel's row limit, before the file is complete.
    """
    workbook = xlsxwriter.Workbook(
        path, {"constant_memory": True, "strings_to_numbers": False}
    )
    try:
        sheet = workbook.add_worksheet(title[:31])
        header = workbook.add_format({"bold": True, "text_wrap": True})
        date_format = workbook.add_format({"num_format": "dd.mm.yyyy hh:mm"})
        for index, (label, kind) in enumerate(columns):
            sheet.set_column(index, index, KIND_WIDTHS[kind])
            sheet.write_string(0, index, label, header)
        sheet.freeze_panes(1, 0)
        writers = _cell_writers(sheet, columns, date_format, boolean_labels)
        count = 0
        for row_number, row in enumerate(rows, start=1):
            if row_number > MAX_DATA_ROWS:
                raise ValueError(
                    f"the register has more than {MAX_DATA_ROWS} rows, the limit of "
                    "an Excel sheet"
                )
            for index, value in enumerate(row):
                if value is not None:
                    writers[index](row_number, index, value)
            count = row_number
        if count:
            sheet.autofilter(0, 0, count, len(columns) - 1)
    finally:
        workbook.close()
    return count


def _cell_writers(sheet, columns, date_format, boolean_labels):
    """Return, per column, the xlsxwriter call for its kind: calling the
    typed method directly skips xlsxwriter's type detection on each cell."""
    true_label, false_label = boolean_labels

    def write_datetime(row, column, value):
        sheet.write_number(row, column, value, date_format)

    def write_boolean(row, column, value):
        sheet.write_string(row, column, true_label if value else false_label)

    by_kind = {
        "text": sheet.write_string,
        "number": sheet.write_number,
        "datetime": write_datetime,
        "boolean": write_boolean,
    }
    return [by_kind[kind] for _label, kind in columns]
