#!/usr/bin/env python3
"""Write a Word version of a form workbook, for the docx reader's golden test.

usage: make_docx.py SOURCE.xlsx OUT.docx

The first sheet's leading rows that hold one full-width merged cell (marker, title,
部门：…) become paragraphs; the rest becomes one Word table with the workbook's merges
(gridSpan for column merges, vMerge for row merges) and its line breaks as paragraphs.
Needs openpyxl and python-docx (a developer's machine; the tests read the committed output).
"""
import sys

import openpyxl
from docx import Document


def main(src, out):
    ws = openpyxl.load_workbook(src).worksheets[0]
    ncols = ws.max_column
    merged = {}
    for r in ws.merged_cells.ranges:
        merged[(r.min_row, r.min_col)] = (r.max_row, r.max_col)
    covered = set()
    for (r0, c0), (r1, c1) in merged.items():
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    first_table_row = 1
    doc = Document()
    for r in range(1, ws.max_row + 1):
        span = merged.get((r, 1))
        if span and span[0] == r and span[1] == ncols and ws.cell(r, 1).value:
            doc.add_paragraph(str(ws.cell(r, 1).value))
            first_table_row = r + 1
        else:
            break
    rows = ws.max_row - first_table_row + 1
    table = doc.add_table(rows=rows, cols=ncols)
    for (r0, c0), (r1, c1) in merged.items():
        if r0 >= first_table_row:
            table.cell(r0 - first_table_row, c0 - 1).merge(table.cell(r1 - first_table_row, c1 - 1))
    for r in range(first_table_row, ws.max_row + 1):
        for c in range(1, ncols + 1):
            if (r, c) in covered:
                continue
            v = ws.cell(r, c).value
            if v is None:
                continue
            cell = table.cell(r - first_table_row, c - 1)
            lines = str(v).split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    doc.save(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
