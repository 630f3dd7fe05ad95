//! Basic-data, budget-execution and other tables on grid rows.
//!
//! These grammars (in [`crate::grammar`]) read a stream of cells, each marked as starting
//! a block; from a grid every cell is exact, so each printed cell becomes one such cell
//! (its wrapped lines already joined, no line-joining guess left), one source line per
//! grid row. The sign-off and notes under the table are taken off first.

use super::{blocks, fields};
use crate::grammar::{basic_data, budget_execution, frag::Frag, generic, report_unplaced};
use crate::grid::{Origin, Row};
use crate::model::{Annex, Kind};

/// Horizontal scale for grids whose coordinate is a column index (sheets, HTML): one
/// column is this many units, so that the grammars' em-based tolerances (10 units) hold.
const COLUMN_UNITS: f32 = 60.0;

/// One cell per printed cell, in reading order.
pub fn frags(rows: &[Row]) -> Vec<Frag> {
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let scale = if matches!(row.origin, Origin::Sheet | Origin::Html) { COLUMN_UNITS } else { 1.0 };
        let own: Vec<_> = row.own().collect();
        let n = own.len();
        for (k, c) in own.into_iter().enumerate() {
            let (x0, x1) = (c.x0 * scale, c.x1 * scale);
            out.push(Frag {
                text: c.text.clone(),
                line: r,
                last_line: r,
                number: r + 1,
                page: row.page,
                x0,
                x1,
                width: x1 - x0,
                tail_width: x1 - x0,
                line_start: k == 0,
                line_end: k + 1 == n,
                block_start: true,
                blank_before: false,
                lines_joined: 1,
            });
        }
    }
    out
}

/// Build the tables of a non-form annex; returns which rows were used (every row: the
/// grammars report what they could not place themselves).
pub fn build(annex: &mut Annex, kind: Kind, rows: &[Row]) -> Vec<bool> {
    let mut body = Vec::with_capacity(rows.len());
    let mut head: Vec<(String, Option<String>)> = Vec::new();
    let mut in_head = true;
    for r in rows {
        // `填报单位：… 实施单位：… 单位：万元` above the table: fields and the unit.
        if in_head && let Some(c) = r.single() && fields::inline_pairs(c.text.trim()).is_some() && !blocks::is_signoff_row(r) {
            let f = fields::read_row(&[c]);
            annex.unit = annex.unit.take().or(f.unit);
            head.extend(f.pairs);
            continue;
        }
        in_head &= r.is_empty() || r.single().is_some();
        if blocks::is_signoff_row(r) && r.single().is_some() {
            if let Some(s) = crate::grammar::signoff::parse(&r.text()) {
                annex.signoff = Some(s);
                continue;
            }
        }
        if blocks::is_note_row(r) {
            annex.notes.push(r.text());
            continue;
        }
        body.push(r.clone());
    }
    let cells = frags(&body);
    let unplaced = match kind {
        Kind::BasicData => basic_data::build(annex, cells, true, 10.0),
        Kind::BudgetExecution => budget_execution::build(annex, cells, true, 10.0),
        _ => generic::build(annex, cells, true, 10.0),
    };
    report_unplaced(annex, &unplaced);
    if !head.is_empty() {
        let map = annex.fields.get_or_insert_with(fields::new_map);
        fields::merge(map, head);
    }
    vec![true; rows.len()]
}
