//! Arithmetic checks and document-level consistency diagnostics (run last).
//! (Fleshed out further by the trust issue.)

use crate::model::{Annex, Check, Diagnostic};
use std::collections::HashMap;

/// Document-level diagnostics: a title year that disagrees with the report's year, and
/// annexes without a title.
pub fn document(annexes: &mut [Annex], _diags: &mut [Diagnostic]) {
    let mut count: HashMap<i32, usize> = HashMap::new();
    for a in annexes.iter() {
        if let (Some(y), Some(_)) = (a.year, &a.title) {
            *count.entry(y).or_default() += 1;
        }
    }
    let doc_year = count.iter().max_by_key(|(y, n)| (**n, **y)).map(|(y, _)| *y);
    for a in annexes.iter_mut() {
        if a.title.is_none() && a.id.is_some() {
            a.diagnostics.push(Diagnostic::warning(
                "missing_title",
                format!("{} has no title line; its kind was decided from its structure", a.label.clone().unwrap_or_default()),
                None,
            ));
        }
        if a.year.is_none() {
            a.year = doc_year;
        }
        if let (Some(y), Some(d), Some(t)) = (a.year, doc_year, &a.title) {
            if y != d {
                a.diagnostics.push(Diagnostic::warning(
                    "title_year_mismatch",
                    format!("title “{t}” says {y}, the rest of the document reports {d}"),
                    None,
                ));
            }
        }
    }
}

/// Per-annex checks.
pub fn annex(a: &mut Annex) {
    let mut checks: Vec<Check> = Vec::new();
    for ind in &a.indicators {
        if let (Some(w), Some(s)) = (ind.weight, ind.score) {
            let ok = s <= w;
            checks.push(Check {
                rule: "score_within_weight".into(),
                at: format!("indicators/{}", ind.name),
                expected: format!("<= {w}"),
                computed: s.to_string(),
                ok,
            });
            if !ok {
                a.diagnostics.push(Diagnostic::warning(
                    "score_exceeds_weight",
                    format!("indicator “{}”: score {s} exceeds its weight {w}", ind.name),
                    None,
                ));
            }
        }
    }
    a.checks.extend(checks);
}
