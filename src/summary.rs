//! A short human-readable summary of a [`Document`], for the CLI's `--check` flag.
//!
//! One block per annex: label, kind and title; rows per table and the indicator count;
//! how many checks passed and failed (with the failing ones spelled out); and the
//! diagnostics grouped by code, each with its messages.

use crate::model::{Annex, Diagnostic, Document, Level};
use std::collections::BTreeMap;
use std::fmt::Write;

/// How many messages per diagnostic code are printed before "… and N more".
const MESSAGES_PER_CODE: usize = 5;

/// Render the summary. Never panics; the text ends with a newline.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let pages = doc
        .source
        .pages
        .map(|p| format!(", {p} pages"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} ({}{}): {} annexes",
        doc.source.file,
        doc.source.format,
        pages,
        doc.annexes.len()
    );
    let (mut passed, mut failed, mut warnings) = (0usize, 0usize, 0usize);
    for a in &doc.annexes {
        render_annex(&mut out, a);
        passed += a.checks.iter().filter(|c| c.ok).count();
        failed += a.checks.iter().filter(|c| !c.ok).count();
        warnings += a
            .diagnostics
            .iter()
            .filter(|d| d.level >= Level::Warning)
            .count();
    }
    if !doc.diagnostics.is_empty() {
        let _ = writeln!(out, "document:");
        render_diagnostics(&mut out, &doc.diagnostics);
    }
    warnings += doc
        .diagnostics
        .iter()
        .filter(|d| d.level >= Level::Warning)
        .count();
    let _ = writeln!(
        out,
        "total: {passed} checks passed, {failed} failed, {warnings} warnings"
    );
    out
}

fn render_annex(out: &mut String, a: &Annex) {
    let label = a
        .label
        .clone()
        .or_else(|| a.id.clone())
        .unwrap_or_else(|| "(no marker)".to_string());
    let title = a.title.as_deref().unwrap_or("(no title)");
    let _ = writeln!(out, "{label} [{}] {title}", a.kind.as_str());
    let tables: Vec<String> = a
        .tables
        .iter()
        .map(|t| format!("{} {} rows", t.name, t.rows.len()))
        .collect();
    let tables = if tables.is_empty() {
        "no tables".to_string()
    } else {
        tables.join(", ")
    };
    let _ = writeln!(out, "  {tables}; {} indicators", a.indicators.len());
    let ok = a.checks.iter().filter(|c| c.ok).count();
    let bad: Vec<_> = a.checks.iter().filter(|c| !c.ok).collect();
    let _ = writeln!(out, "  checks: {ok} passed, {} failed", bad.len());
    for c in bad {
        let _ = writeln!(
            out,
            "    FAIL {} at {}: expected {}, computed {}",
            c.rule, c.at, c.expected, c.computed
        );
    }
    render_diagnostics(out, &a.diagnostics);
}

fn render_diagnostics(out: &mut String, diags: &[Diagnostic]) {
    // Warnings and errors: by code, with their messages. Infos (how a heuristic chose
    // between readings): counts by code on one line.
    let mut by_code: BTreeMap<(std::cmp::Reverse<Level>, &str), Vec<&Diagnostic>> = BTreeMap::new();
    let mut infos: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diags {
        if d.level == Level::Info {
            *infos.entry(d.code.as_str()).or_default() += 1;
        } else {
            by_code
                .entry((std::cmp::Reverse(d.level), d.code.as_str()))
                .or_default()
                .push(d);
        }
    }
    for ((level, code), ds) in by_code {
        let level = match level.0 {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        };
        let _ = writeln!(out, "  {level} {code} ×{}", ds.len());
        for d in ds.iter().take(MESSAGES_PER_CODE) {
            let at = match &d.at {
                Some(p) => match (p.page, p.line) {
                    (Some(pg), Some(l)) => format!(" (page {pg}, line {l})"),
                    (Some(pg), None) => format!(" (page {pg})"),
                    (None, Some(l)) => format!(" (line {l})"),
                    (None, None) => String::new(),
                },
                None => String::new(),
            };
            let _ = writeln!(out, "    {}{at}", d.message);
        }
        if ds.len() > MESSAGES_PER_CODE {
            let _ = writeln!(out, "    … and {} more", ds.len() - MESSAGES_PER_CODE);
        }
    }
    if !infos.is_empty() {
        let list: Vec<String> = infos.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
        let _ = writeln!(out, "  info: {}", list.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annex, Check, SCHEMA, Source};

    #[test]
    fn renders_counts_and_warnings() {
        let mut a = Annex::empty(Some("7".into()), Some("附件7".into()));
        a.checks.push(Check {
            rule: "score_within_weight".into(),
            at: "x".into(),
            expected: "<= 5".into(),
            computed: "10".into(),
            ok: false,
        });
        a.checks.push(Check {
            rule: "total_score".into(),
            at: "y".into(),
            expected: "1".into(),
            computed: "1".into(),
            ok: true,
        });
        a.diagnostics
            .push(Diagnostic::info("number_rejoined", "x", None));
        a.diagnostics.push(Diagnostic::warning(
            "missing_title",
            "附件7 has no title",
            None,
        ));
        let doc = Document {
            schema: SCHEMA.into(),
            source: Source {
                file: "f.txt".into(),
                format: "text".into(),
                sha256: String::new(),
                pages: None,
            },
            annexes: vec![a],
            diagnostics: vec![],
        };
        let s = render(&doc);
        assert!(s.contains("附件7 [unknown] (no title)"), "{s}");
        assert!(s.contains("checks: 1 passed, 1 failed"), "{s}");
        assert!(s.contains("warning missing_title ×1"), "{s}");
        assert!(s.contains("  info: number_rejoined ×1"), "{s}");
        assert!(
            s.contains("total: 1 checks passed, 1 failed, 1 warnings"),
            "{s}"
        );
    }
}
