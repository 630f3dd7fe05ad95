#!/usr/bin/env python3
"""Write an Excel 97-2003 (.xls) copy of a form workbook, with a hidden second sheet, for
the xls reader's tests.

usage: make_xls.py SOURCE.xlsx OUT.xls

The first sheet is copied cell by cell with its merged regions; a second sheet named
隐藏 holding one cell is added and hidden (the reader must skip it and say so).
Needs openpyxl and xlwt (a developer's machine; the tests read the committed output).
"""
import sys

import openpyxl
import xlwt


def main(src, out):
    ws = openpyxl.load_workbook(src).worksheets[0]
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(ws.title[:31])
    covered = set()
    for r in ws.merged_cells.ranges:
        v = ws.cell(r.min_row, r.min_col).value
        sheet.write_merge(r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1, "" if v is None else str(v))
        for row in range(r.min_row, r.max_row + 1):
            for col in range(r.min_col, r.max_col + 1):
                covered.add((row, col))
    for row in ws.iter_rows():
        for c in row:
            if (c.row, c.column) in covered or c.value is None:
                continue
            sheet.write(c.row - 1, c.column - 1, str(c.value))
    hidden = book.add_sheet("隐藏")
    hidden.write(0, 0, "备用")
    hidden.visibility = 1
    book.save(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
