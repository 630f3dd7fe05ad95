//! Generic tables for annexes of kind `unknown` (部门预算/决算 tables and anything else):
//! label–value rows grouped into tables, each table's header taken from the text line(s)
//! right above its first row when they hold as many words as the rows hold values.

use super::columns;
use super::frag::Frag;
use super::rows::{self, Parsed, RawRow};
use crate::model::{Annex, Column, Table};

/// Build generic tables; returns the cells no table took.
pub fn build(annex: &mut Annex, cells: Vec<Frag>, marked: bool, em: f32) -> Vec<Frag> {
    let (raw, stop, _) = rows::assemble(&cells, marked, em, |_| false);
    let mut unplaced: Vec<Frag> = cells[stop..].to_vec();
    // Split into tables: a run of rows with values; label-only rows between runs are
    // either headers of the next table or text.
    let mut groups: Vec<(Vec<RawRow>, Vec<RawRow>)> = Vec::new(); // (header-ish rows, value rows)
    let mut pending: Vec<RawRow> = Vec::new();
    for r in raw {
        if r.values.is_empty() {
            if groups.last().is_some_and(|g| !g.1.is_empty()) && pending.is_empty() {
                // A label-only row inside a table (a section row) stays with the table
                // when the next row has values; decide when that row comes.
            }
            pending.push(r);
        } else {
            let continues = groups.last().is_some() && pending.len() <= 2;
            if continues {
                let g = groups.last_mut().expect("checked");
                g.1.append(&mut pending);
                g.1.push(r);
            } else {
                groups.push((std::mem::take(&mut pending), vec![r]));
            }
        }
    }
    for p in pending {
        unplaced.push(p.first.clone());
        if p.text != p.first.text {
            // The joined label holds more than its first fragment: report the whole text.
            let mut f = p.first.clone();
            f.text = p.text.clone();
            unplaced.pop();
            unplaced.push(f);
        }
    }
    for (k, (head, body)) in groups.into_iter().enumerate() {
        let ncols = body.iter().map(|r| r.values.len()).max().unwrap_or(0);
        if ncols == 0 {
            continue;
        }
        // Header words: the last header-ish row whose words split into ncols labels.
        let mut labels: Vec<String> = Vec::new();
        let mut title = None;
        for h in &head {
            let words: Vec<&str> = h.text.split_whitespace().collect();
            if words.len() == ncols || words.len() == ncols + 1 {
                labels = words[words.len() - ncols..].iter().map(|s| s.to_string()).collect();
            } else if title.is_none() {
                title = Some(h.text.clone());
            } else {
                unplaced.push(h.first.clone());
            }
        }
        if labels.is_empty() {
            labels = (1..=ncols).map(|i| format!("列{i}")).collect();
        }
        let mut cols: Vec<Column> = columns::columns(&labels);
        for c in &mut cols {
            if c.label.starts_with('列') {
                c.key = None;
            }
        }
        let parsed: Vec<Parsed> = rows::parse_all(body);
        let (placed, levels) = rows::place_and_nest(&parsed, &cols, &mut annex.diagnostics);
        annex.tables.push(Table {
            name: format!("table_{}", k + 1),
            title,
            unit: annex.unit.clone(),
            columns: cols,
            rows: rows::to_rows(&parsed, placed, &levels),
        });
    }
    unplaced
}

/// Generic tables of a PDF annex, found by position ([`crate::table_finder`]): the annex's
/// body lines (title, sign-off and notes taken off) and the document's ruling lines.
/// Returns `false` (and leaves the annex alone) when no table is found, so that the caller
/// falls back to [`build`].
pub fn build_positional(annex: &mut Annex, lines: &[crate::token::Line], rules: &[crate::token::Rule]) -> bool {
    let found = crate::table_finder::annexes(lines, rules);
    if found.annexes.is_empty() {
        return false;
    }
    let n0 = annex.tables.len();
    for (k, a) in found.annexes.into_iter().enumerate() {
        for mut t in a.tables {
            t.name = format!("table_{}", n0 + k + 1);
            if t.unit.is_none() {
                t.unit = annex.unit.clone();
            }
            annex.tables.push(t);
        }
        if annex.unit.is_none() {
            annex.unit = a.unit;
        }
        if let Some(f) = a.fields {
            let m = annex.fields.get_or_insert_with(Default::default);
            for (k, v) in f {
                m.entry(k).or_insert(v);
            }
        }
        // The table's own title is kept on the table; other head rows are notes.
        annex.notes.extend(a.notes);
        // The caller accounts for the whole annex's text.
        annex.diagnostics.extend(a.diagnostics.into_iter().filter(|d| d.code != "unplaced_text"));
    }
    annex.diagnostics.extend(found.diagnostics);
    true
}

#[cfg(test)]
mod tests {
    use crate::model::Source;
    use crate::token::{Layout, Line, Rule, Token, XUnit};

    fn line(number: usize, y: f32, toks: &[(&str, f32, f32)]) -> Line {
        Line {
            number,
            page: Some(1),
            y: Some(y),
            size: Some(10.0),
            starts_block: true,
            tokens: toks.iter().map(|(t, a, b)| Token { text: t.to_string(), x0: *a, x1: *b, y: Some(y) }).collect(),
        }
    }

    fn r(x0: f32, y0: f32, x1: f32, y1: f32) -> Rule {
        Rule { page: 1, x0, y0, x1, y1 }
    }

    /// A PDF annex of kind unknown (`附件1`, a 明细表) gets its table from the ruling lines.
    #[test]
    fn marked_pdf_annex_of_unknown_kind_uses_positions() {
        let lines = vec![
            line(1, 700.0, &[("附件1", 40.0, 70.0)]),
            line(2, 680.0, &[("2024年度资产明细表", 100.0, 300.0)]),
            line(3, 660.0, &[("单位：万元", 300.0, 350.0)]),
            // Content-stream order: the second row is drawn before the header.
            line(4, 605.0, &[("二、设备", 45.0, 100.0), ("3.00", 170.0, 200.0)]),
            line(5, 645.0, &[("项目", 50.0, 70.0), ("金额", 150.0, 170.0)]),
            line(6, 625.0, &[("一、房屋", 45.0, 100.0), ("5.00", 170.0, 200.0)]),
        ];
        let mut rules = Vec::new();
        for y in [660.0, 640.0, 620.0, 600.0] {
            rules.push(r(40.0, y - 2.0, 210.0, y - 2.0));
        }
        for x in [40.0, 120.0, 210.0] {
            rules.push(r(x, 598.0, x, 658.0));
        }
        let layout = Layout { unit: XUnit::Points, pages: Some(1), lines, rules, glyphs: vec![], diagnostics: vec![] };
        let source = Source { file: "t.pdf".into(), format: "pdf".into(), sha256: String::new(), pages: Some(1) };
        let doc = crate::from_layout(layout, source);
        assert_eq!(doc.annexes.len(), 1);
        let a = &doc.annexes[0];
        assert_eq!(a.id.as_deref(), Some("1"));
        assert_eq!(a.kind, crate::model::Kind::Unknown);
        assert_eq!(a.tables.len(), 1);
        let t = &a.tables[0];
        assert_eq!(t.columns[0].key.as_deref(), Some("amount"));
        let labels: Vec<&str> = t.rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["房屋", "设备"], "visual order, not stream order");
        assert!(!a.diagnostics.iter().any(|d| d.code == "unplaced_text"), "{:?}", a.diagnostics);
    }
}
