//! Per-kind annex grammars, on top of the positioned-token layout.
//!
//! [`build_annex`] turns one [`Segment`] into an [`Annex`]: it takes the sign-off and notes
//! off the annex's lines, makes cells of the remaining tokens (joining wrapped lines where
//! the layout marks them), classifies the annex, and hands the cells to the grammar of its
//! kind. Whatever no grammar placed is reported as `unplaced_text`.

pub mod basic_data;
pub mod budget_execution;
pub mod columns;
pub mod frag;
pub mod generic;
pub mod rows;
pub mod self_evaluation;
pub mod signoff;
pub mod vocab;

use crate::classify::{self, Basis};
use crate::heuristics::{number_rejoin, vertical_labels, wrapped_join};
use crate::model::{Annex, AnnexSource, Diagnostic, Kind};
use crate::segment::{self, Segment};
use crate::token::Line;
use frag::Frag;

/// Options shared by the grammars for one document.
#[derive(Debug, Clone, Copy)]
pub struct Style<'a> {
    /// The layout marks block starts (see [`wrapped_join::is_block_marked`]).
    pub marked: bool,
    /// One CJK character's width in the layout's unit.
    pub em: f32,
    /// The document's ruling lines (PDF; empty for a text dump), for positional tables.
    pub rules: &'a [crate::token::Rule],
    /// An unknown annex of a PDF may be rebuilt by position ([`crate::table_finder`]). False
    /// when the table finder itself hands a form to [`build_annex`]: the calls go one way,
    /// never back into the table finder.
    pub positional: bool,
}

/// Build one annex from its segment of `lines`.
pub fn build_annex(lines: &[Line], seg: &Segment, style: Style<'_>) -> Annex {
    let mut annex = Annex::empty(seg.id.clone(), seg.label.clone());
    annex.title = seg.title.clone();
    annex.year = seg.year;
    annex.unit = seg.unit.clone();
    let span = &lines[seg.start.min(lines.len())..seg.end.min(lines.len())];
    let first = seg.marker_line.map(|m| lines[m].number).or(span.first().map(|l| l.number));
    let last = span.iter().rev().find(|l| !l.is_blank()).map(|l| l.number).or(first);
    annex.source = AnnexSource {
        pages: pages_of(span),
        lines: first.zip(last).map(|(a, b)| vec![a, b]),
    };
    // Body: the span less its title line and a `（2024年度）` line near the top.
    let mut body: Vec<Line> = Vec::with_capacity(span.len());
    let mut head_seen = 0;
    for (k, l) in span.iter().enumerate() {
        let idx = seg.start + k;
        if Some(idx) == seg.title_line {
            continue;
        }
        if !l.is_blank() {
            head_seen += 1;
            if head_seen <= 3 && segment::year_line(&l.compact()).is_some() {
                continue;
            }
        }
        body.push(l.clone());
    }
    // Title split over two lines: the first half was joined into the title; drop it.
    if let (Some(t), Some(tl)) = (&seg.title, seg.title_line) {
        if let Some(prev) = (seg.start..tl).rev().find(|&i| !lines[i].is_blank()) {
            let pc = lines[prev].text();
            if t.starts_with(&pc) && pc != *t {
                body.retain(|l| l.number != lines[prev].number || l.text() != pc);
            }
        }
    }
    let (signoff, notes, used) = signoff::take(&body);
    annex.signoff = signoff;
    annex.notes = notes;
    let kept: Vec<Line> = body.iter().enumerate().filter(|(i, _)| !used.contains(i)).map(|(_, l)| l.clone()).collect();

    let (frags, _) = wrapped_join::join_punctuation(frag::fragments(&kept));
    let (mut cells, joins) = if style.marked {
        wrapped_join::join_marked(frags)
    } else {
        let (f, notes) = number_rejoin::merge_runs(frags);
        for (msg, pos) in notes {
            annex.diagnostics.push(Diagnostic::info("number_rejoined", msg, Some(pos)));
        }
        (f, 0)
    };
    if joins > 0 {
        annex.diagnostics.push(Diagnostic::info(
            "wrapped_cell_joined",
            format!("{joins} wrapped line(s) joined to the cell above them (no block mark before them)"),
            cells.first().map(|c| c.position()),
        ));
    }
    let body_text: String = cells.iter().map(|c| c.text.as_str()).collect::<String>();
    let (mut kind, basis) = classify::classify(annex.title.as_deref(), &body_text);
    match (basis, &annex.title) {
        (Basis::Structure, None) => annex.diagnostics.push(Diagnostic::info(
            "kind_by_structure",
            format!("no title: kind {} decided from the labels the annex prints", kind.as_str()),
            None,
        )),
        (Basis::Structure, Some(t)) => annex.diagnostics.push(Diagnostic::info(
            "kind_by_structure",
            format!("title “{t}” names no known form: kind {} decided from the labels the annex prints", kind.as_str()),
            None,
        )),
        _ => {}
    }
    let unplaced = if kind.is_self_evaluation() {
        let (merged, joined) = vertical_labels::merge_known(cells, &vocab::is_structure_word, 12);
        cells = merged;
        if !joined.is_empty() {
            annex.diagnostics.push(Diagnostic::info(
                "vertical_label_joined",
                format!(
                    "{} label(s) printed over several lines joined: {}",
                    joined.len(),
                    joined.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join("、")
                ),
                None,
            ));
        }
        let parts = self_evaluation::build(&mut annex, cells, style.marked, style.em);
        let name = annex.fields.as_ref().and_then(|f| f.get("project_name")).and_then(|v| v.as_str()).map(str::to_string);
        let refined = classify::refine(kind, name.as_deref());
        if refined != kind {
            annex.diagnostics.push(Diagnostic::info(
                "kind_by_structure",
                format!("项目支出名称 “{}” names a 基金: kind fund_self_evaluation", name.unwrap_or_default()),
                None,
            ));
            kind = refined;
        }
        parts.unplaced
    } else {
        match kind {
            Kind::BasicData => basic_data::build(&mut annex, cells, style.marked, style.em),
            Kind::BudgetExecution => budget_execution::build(&mut annex, cells, style.marked, style.em),
            // A PDF annex: tables found by position when there are any (table_finder).
            _ if style.positional && span.iter().any(|l| l.y.is_some()) && generic::build_positional(&mut annex, &kept, style.rules) => Vec::new(),
            _ => generic::build(&mut annex, cells, style.marked, style.em),
        }
    };
    annex.kind = kind;
    report_unplaced(&mut annex, &unplaced);
    crate::accounting::account(&mut annex, span);
    annex
}

fn pages_of(span: &[Line]) -> Option<Vec<u32>> {
    let pages: Vec<u32> = span.iter().filter_map(|l| l.page).collect();
    match (pages.iter().min(), pages.iter().max()) {
        (Some(a), Some(b)) => Some(vec![*a, *b]),
        _ => None,
    }
}

/// Report cells no grammar placed, one diagnostic per source line.
pub fn report_unplaced(annex: &mut Annex, cells: &[Frag]) {
    let mut i = 0;
    while i < cells.len() {
        let line = cells[i].number;
        let mut text = cells[i].text.clone();
        let pos = cells[i].position();
        i += 1;
        while i < cells.len() && cells[i].number == line {
            text.push(' ');
            text.push_str(&cells[i].text);
            i += 1;
        }
        annex.diagnostics.push(Diagnostic::warning(
            "unplaced_text",
            format!("text not placed in any part of the annex: “{text}”"),
            Some(pos),
        ));
    }
}
