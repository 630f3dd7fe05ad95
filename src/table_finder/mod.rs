//! Positional table finder for PDF layouts: tables rebuilt from where the words and the
//! ruling lines are on the page, not from content-stream order.
//!
//! A PDF's content stream need not follow visual order (a page's title may be drawn last,
//! side-by-side sub-tables interleave), so for PDF documents without `附件N` markers —
//! 部门预算/决算 disclosures — each page is rebuilt from positions, one small step per
//! module:
//! 1. [`rows`]: a page's tokens as [`rows::Word`]s, grouped into visual rows by y;
//! 2. [`lattice`]: ruling lines → cell grids (merged cells kept as spans), when the page
//!    draws its rules; [`stream`]: column boundaries from the x-alignment of the words,
//!    when it does not;
//! 3. [`tables`]: grid + words → cell texts (multi-line cells joined), captions, header
//!    paths, body rows; tables continued on the next page are appended, their repeated
//!    header rows dropped;
//! 4. [`build`]: stub columns (subject codes, labels), row codes and levels, column keys,
//!    cells → a schema [`Table`](crate::model::Table);
//! 5. [`heads`]: the rows above a table (title, 公开N表 number, department, unit, year)
//!    and below it (notes), page numbers.
//!
//! [`annexes`] puts the steps together: one [`Annex`] per table (continuations merged),
//! named by its title. Text on pages with no table is returned as `unplaced_text`
//! diagnostics, page numbers as `page_number` info; each annex's own words are checked
//! by [`crate::accounting::account`].

pub mod build;
pub mod heads;
pub mod lattice;
pub mod rows;
pub mod stream;
pub mod tables;

use crate::model::{Annex, AnnexSource, Diagnostic, Kind, Position};
use crate::token::{Line, Rule, Token};
use heads::Head;
use rows::{VRow, Word};
use tables::Found;

/// One cell of a [`Grid`]: rows `r0..r1`, columns `c0..c1` (more than one when merged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridCell {
    pub r0: usize,
    pub r1: usize,
    pub c0: usize,
    pub c1: usize,
}

/// A table's cell grid on one page.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub page: u32,
    /// Column boundaries, left to right.
    pub xs: Vec<f32>,
    /// Row boundaries, top to bottom (y descending).
    pub ys: Vec<f32>,
    pub cells: Vec<GridCell>,
}

impl Grid {
    pub fn ncols(&self) -> usize {
        self.xs.len().saturating_sub(1)
    }
    pub fn nrows(&self) -> usize {
        self.ys.len().saturating_sub(1)
    }
    pub fn top(&self) -> f32 {
        self.ys.first().copied().unwrap_or(0.0)
    }
    pub fn bottom(&self) -> f32 {
        self.ys.last().copied().unwrap_or(0.0)
    }
    pub fn x0(&self) -> f32 {
        self.xs.first().copied().unwrap_or(0.0)
    }
    pub fn x1(&self) -> f32 {
        self.xs.last().copied().unwrap_or(0.0)
    }
}

/// What [`annexes`] returns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Output {
    pub annexes: Vec<Annex>,
    /// Document-level diagnostics: text on pages without a table, page numbers there.
    pub diagnostics: Vec<Diagnostic>,
}

/// A table with the text around it on its page(s).
#[derive(Debug, Clone)]
struct Piece {
    found: Found,
    head: Head,
    notes: Vec<String>,
    /// Words of notes and page numbers (for accounting).
    extra: Vec<Word>,
    page_numbers: Vec<(String, u32, usize)>,
    first_on_page: bool,
}

fn row_position(r: &VRow) -> Position {
    Position { page: r.words.first().map(|w| w.page), line: r.words.iter().map(|w| w.number).min() }
}

/// The tables of one page, with their heads and notes; rows of a page without a table are
/// returned as leftovers.
/// `carry`: head rows printed at the foot of the previous page (a table number or title
/// whose table starts on this page). Returns the pieces, the rows of a page without a
/// table, and the head rows at the foot of this page to carry to the next.
fn page_pieces(page: u32, mut words: Vec<Word>, rules: &[Rule], carry: Vec<VRow>) -> (Vec<Piece>, Vec<VRow>, Vec<VRow>) {
    let mut filled = Vec::new();
    for g in lattice::grids(rules, page) {
        let f = tables::fill(g, &mut words);
        if f.cell_words.iter().any(|w| !w.is_empty()) {
            filled.push((f, "lattice"));
        } else {
            // An empty frame: nothing taken.
        }
    }
    // The words no ruled table took: tables without rules (or with horizontal rules only,
    // which make no cells) are found by alignment.
    let vr = rows::visual_rows(words.clone());
    for g in stream::grids(page, &vr) {
        let f = tables::fill(g, &mut words);
        if f.cell_words.iter().any(|w| !w.is_empty()) {
            filled.push((f, "stream"));
        }
    }
    let mut founds: Vec<Found> = filled.iter().map(|(f, m)| tables::structure(f, m)).collect();
    founds.sort_by(|a, b| b.top.total_cmp(&a.top));
    let rest = rows::visual_rows(words);
    if founds.is_empty() {
        let mut rest = rest;
        rest.splice(0..0, carry);
        return (Vec::new(), rest, Vec::new());
    }
    // Zones: above table 0, between tables, beside a table, below the last.
    let n = founds.len();
    let mut above: Vec<Vec<VRow>> = vec![Vec::new(); n];
    let mut below: Vec<Vec<VRow>> = vec![Vec::new(); n];
    let mut page_numbers: Vec<Vec<(String, u32, usize)>> = vec![Vec::new(); n];
    let last_row = rest.len().saturating_sub(1);
    for (k, r) in rest.into_iter().enumerate() {
        let y = r.cy;
        // The table whose vertical range holds the row, or the first table below it.
        let idx = founds.iter().position(|f| y > f.bottom);
        let is_pn = (k == 0 || k == last_row) && heads::is_page_number(&r);
        match idx {
            Some(i) if y > founds[i].top => {
                if is_pn {
                    page_numbers[i].push((r.compact(), page, r.words[0].number));
                    above[i].push(r);
                } else {
                    above[i].push(r);
                }
            }
            Some(i) => below[i].push(r),
            None => {
                if is_pn {
                    page_numbers[n - 1].push((r.compact(), page, r.words[0].number));
                }
                below[n - 1].push(r);
            }
        }
    }
    above[0].splice(0..0, carry);
    // Head rows at the foot of the page, after the last table's notes, go to the next page.
    let mut carry_out = Vec::new();
    {
        let b = &mut below[n - 1];
        let k = heads::split_between(b);
        if let Some(j) = (k..b.len()).find(|&j| heads::is_head_row(&b[j])) {
            let pn: Vec<String> = page_numbers[n - 1].iter().map(|p| p.0.clone()).collect();
            carry_out = b.drain(j..).filter(|r| !pn.contains(&r.compact())).collect();
        }
    }
    // Rows between two tables: notes of the upper one, then the head of the lower one.
    for i in 1..n {
        let k = heads::split_between(&above[i]);
        let moved: Vec<VRow> = above[i].drain(..k).collect();
        below[i - 1].extend(moved);
    }
    let mut out = Vec::new();
    for (i, found) in founds.into_iter().enumerate() {
        let pn: Vec<String> = page_numbers[i].iter().map(|p| p.0.clone()).collect();
        let head_rows: Vec<VRow> = above[i].iter().filter(|r| !pn.contains(&r.compact())).cloned().collect();
        let mut extra: Vec<Word> = above[i].iter().filter(|r| pn.contains(&r.compact())).flat_map(|r| r.words.clone()).collect();
        let mut notes = Vec::new();
        for r in &below[i] {
            extra.extend(r.words.iter().cloned());
            if !pn.contains(&r.compact()) {
                notes.push(r.text());
            }
        }
        let head = heads::read_head(&head_rows, found.xs.first().copied().unwrap_or(0.0), found.xs.last().copied().unwrap_or(0.0));
        out.push(Piece { found, head, notes, extra, page_numbers: page_numbers[i].clone(), first_on_page: i == 0 });
    }
    (out, Vec::new(), carry_out)
}

/// Join wrapped note rows into paragraphs: a row that opens with `注` / `说明` starts one.
fn paragraphs(rows: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in rows {
        let starts = r.starts_with("注") || r.starts_with("说明") || r.starts_with("备注");
        match out.last_mut() {
            Some(p) if !starts => *p = crate::heuristics::wrapped_join::join_text(p, r),
            _ => out.push(r.clone()),
        }
    }
    out
}

/// Lines (grouped by source line) of a set of words, for the accounting step.
fn lines_of(words: &[&Word]) -> Vec<Line> {
    let mut by: std::collections::BTreeMap<usize, Line> = std::collections::BTreeMap::new();
    for w in words {
        let l = by.entry(w.number).or_insert_with(|| Line {
            number: w.number,
            page: Some(w.page),
            y: Some(w.y),
            size: Some(w.size),
            starts_block: true,
            tokens: Vec::new(),
        });
        l.tokens.push(Token { text: w.text.clone(), x0: w.x0, x1: w.x1, y: Some(w.y) });
    }
    by.into_values().collect()
}

fn annex_of(p: Piece, index: usize) -> Annex {
    let Piece { found, head, notes, extra, page_numbers, .. } = p;
    let mut a = Annex::empty(None, head.label.clone());
    // A title printed inside the frame (a caption row) serves when none stands above.
    let caption = found.captions.first().cloned();
    a.title = head.title.clone().or(caption.clone()).or(head.label.clone());
    a.year = head.year.or_else(|| {
        found.captions.iter().chain(&a.title).find_map(|c| {
            let c: String = c.chars().filter(|c| !c.is_whitespace()).collect();
            let i = c.find("年")?;
            let y: String = c[..i].chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
            y.parse::<i32>().ok().filter(|y| (1990..2100).contains(y))
        })
    });
    a.unit = head.unit.clone();
    if let Some(d) = &head.department {
        let mut m = serde_json::Map::new();
        m.insert("department".to_string(), serde_json::Value::String(d.clone()));
        a.fields = Some(m);
    }
    // A form's label–value rows: known labels by their key, others by their printed label.
    for (label, value) in &found.fields {
        let key = crate::grammar::vocab::field_key(label)
            .map(str::to_string)
            .unwrap_or_else(|| label.trim_end_matches(['：', ':']).to_string());
        a.fields.get_or_insert_with(Default::default).entry(key).or_insert(serde_json::Value::String(value.clone()));
    }
    if !found.fields.is_empty() {
        let read: Vec<String> = found.fields.iter().map(|(l, _)| format!("“{l}”")).collect();
        a.diagnostics.push(Diagnostic::info(
            "form_fields",
            format!("label–value rows inside the frame read as fields: {}", read.join(", ")),
            Some(Position { page: Some(found.page), line: None }),
        ));
    }
    // Sub-tables printed side by side become tables of their own.
    let ranges = build::side_by_side(&found);
    let mut tables = Vec::new();
    let mut diags = Vec::new();
    // Printed words read as structure (stub headers, field labels, page numbers): kept on
    // record in one `structure_text` diagnostic, as the grammars do.
    let mut structure: Vec<String> = Vec::new();
    for (k, r) in ranges.iter().enumerate() {
        let part = if ranges.len() > 1 { build::sub(&found, r.clone()) } else { found.clone() };
        let (mut t, d, used) = build::table(&part, format!("table_{}", k + 1), head.unit.clone());
        // (Each sub-table's stub header is printed once for it.)
        structure.extend(used);
        if ranges.len() > 1 {
            t.title = build::common_header(&part).or(t.title);
        }
        if t.title.is_none() {
            t.title = a.title.clone();
        }
        tables.push(t);
        diags.extend(d);
    }
    if ranges.len() > 1 {
        diags.push(Diagnostic::info(
            "side_by_side_split",
            format!(
                "{} sub-tables printed side by side (columns {}) became {} tables",
                ranges.len(),
                ranges.iter().map(|r| format!("{}–{}", r.start + 1, r.end)).collect::<Vec<_>>().join(", "),
                ranges.len()
            ),
            Some(Position { page: Some(found.page), line: None }),
        ));
    }
    let at = Some(Position { page: Some(found.page), line: found.words.iter().map(|w| w.number).min() });
    let pages = if found.last_page > found.page {
        format!("pages {}–{}", found.page, found.last_page)
    } else {
        format!("page {}", found.page)
    };
    a.diagnostics.push(Diagnostic::info(
        "table_found",
        format!(
            "table {} found by {} on {}: {} column(s), {} row(s)",
            index + 1,
            if found.method == "lattice" { "its ruling lines (lattice)" } else { "the alignment of its words (stream)" },
            pages,
            found.xs.len().saturating_sub(1),
            tables.iter().map(|t| t.rows.len()).sum::<usize>()
        ),
        at.clone(),
    ));
    if !found.repeated_header_dropped.is_empty() {
        a.diagnostics.push(Diagnostic::info(
            "repeated_header_dropped",
            format!(
                "table continued on page(s) {:?}; the header rows printed again there were dropped: {}",
                found.repeated_header_dropped,
                found.dropped_header_text.join(" ")
            ),
            at.clone(),
        ));
    }
    if head.title.is_none() && caption.is_none() {
        a.diagnostics.push(Diagnostic::warning("no_title", "no title line above this table", at.clone()));
    }
    if !head.read.is_empty() {
        let read: Vec<String> = head.read.iter().map(|(p, f)| format!("“{p}” → {f}")).collect();
        a.diagnostics.push(Diagnostic::info("head_fields", format!("read above the table: {}", read.join(", ")), at.clone()));
    }
    a.diagnostics.extend(diags);
    structure.extend(head.read.iter().map(|(p, _)| p.clone()));
    structure.extend(found.fields.iter().map(|(l, _)| l.clone()));
    structure.extend(page_numbers.iter().map(|(t, _, _)| t.clone()));
    if !structure.is_empty() {
        a.diagnostics.push(Diagnostic::info(
            "structure_text",
            format!("printed labels read as the table's structure: {}", structure.join(" ")),
            None,
        ));
    }
    for (t, page, line) in &page_numbers {
        a.diagnostics.push(Diagnostic::info(
            "page_number",
            format!("page number “{t}” printed on the page"),
            Some(Position { page: Some(*page), line: Some(*line) }),
        ));
    }
    // The kind stays `unknown`: the tables are generic. A title that reads like one of the
    // known forms is noted, not trusted (财政项目支出绩效目标表 is not a 自评表).
    a.kind = Kind::Unknown;
    if let Some(k) = a.title.as_deref().and_then(crate::classify::by_title) {
        a.diagnostics.push(Diagnostic::info(
            "kind_by_title",
            format!("title words suggest kind {}; the table was rebuilt from positions as a generic table, kind unknown", k.as_str()),
            at.clone(),
        ));
    }
    a.tables = tables;
    a.notes = head.headings.clone();
    a.notes.extend(paragraphs(&notes));
    let all: Vec<&Word> = found.words.iter().chain(&head.words).chain(&extra).collect();
    let first = all.iter().map(|w| w.number).min();
    let last = all.iter().map(|w| w.number).max();
    a.source = AnnexSource {
        pages: Some(vec![found.page, found.last_page]),
        lines: first.zip(last).map(|(f, l)| vec![f, l]),
    };
    // The words this step read as structure are on record in its `structure_text`; the
    // accounting checks every other word against the annex's output.
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let consumed: Vec<String> = structure.iter().map(|s| squash(s)).collect();
    let is_consumed = |w: &Word| {
        let t = squash(&w.text);
        !t.is_empty() && consumed.iter().any(|c| c.contains(&t))
    };
    let rest: Vec<&Word> = all.iter().copied().filter(|w| !is_consumed(w)).collect();
    let lines = lines_of(&rest);
    crate::accounting::account(&mut a, &lines);
    a
}

/// A table whose title names a form the grammars read (a 自评表, a 绩效评价基础数据表, a
/// 预算执行情况表) is read by that grammar, on the content-stream lines it spans, as if a
/// `附件` marker stood before it. `None` (the positional generic table stays) when the
/// title names no such form or the grammar finds nothing in it.
fn delegate(p: &Piece, lines: &[Line], rules: &[Rule]) -> Option<Annex> {
    let title = p.head.title.as_deref().or(p.found.captions.first().map(String::as_str)).unwrap_or("");
    let form = match crate::classify::by_title(title) {
        Some(Kind::BasicData | Kind::BudgetExecution) => true,
        Some(k) => k.is_self_evaluation() && title.contains("自评"),
        // No title that names a form: a self-evaluation still shows by its printed labels
        // (indicators that are scored; a 绩效目标表 lists indicators but scores none).
        None => {
            let body: String = p.found.words.iter().map(|w| w.text.as_str()).collect::<String>();
            let body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            crate::classify::by_structure(&body).is_some_and(|k| k.is_self_evaluation())
                && (body.contains("得分") || body.contains("分值"))
        }
    };
    if !form {
        return None;
    }
    let idx = || p.found.words.iter().chain(&p.head.words).chain(&p.extra).map(|w| w.line);
    let (start, end) = (idx().min()?, idx().max()? + 1);
    let mut seg = crate::segment::Segment::span(start, end.min(lines.len()));
    crate::segment::read_title(lines, &mut seg);
    crate::segment::read_year(lines, &mut seg);
    seg.unit = crate::segment::read_unit(&lines[seg.start..seg.end]);
    let style = crate::grammar::Style { marked: true, em: crate::grammar::frag::em(crate::token::XUnit::Points), rules, positional: false };
    let mut a = crate::grammar::build_annex(lines, &seg, style);
    if a.kind == Kind::Unknown || (a.indicators.is_empty() && a.tables.is_empty()) {
        return None;
    }
    a.diagnostics.push(Diagnostic::info(
        "form_by_title",
        format!("“{title}” names a form: read by the {} grammar, not as a generic table", a.kind.as_str()),
        Some(Position { page: Some(p.found.page), line: None }),
    ));
    Some(a)
}

/// The words of a stream table on other column boundaries; `None` when a word falls
/// outside them.
fn regrid(found: &Found, xs: &[f32], headless: bool) -> Option<Found> {
    let (Some(&lo), Some(&hi)) = (xs.first(), xs.last()) else { return None };
    if found.words.iter().any(|w| w.cx() < lo || w.cx() > hi) {
        return None;
    }
    let vr = rows::visual_rows(found.words.clone());
    let grid = stream::to_grid(found.page, &vr, xs.to_vec());
    let mut words = found.words.clone();
    let f = tables::fill(grid, &mut words);
    if !words.is_empty() {
        return None;
    }
    let mut s = tables::structure(&f, "stream");
    if headless {
        // Its rows are body rows: the page continues a table.
        let mut rows = std::mem::take(&mut s.header_rows);
        rows.append(&mut s.rows);
        s.rows = rows;
        s.header = vec![String::new(); s.header.len()];
    }
    Some(s)
}

/// Find the tables of a PDF span (lines with page and y) and return one annex per table.
pub fn annexes(lines: &[Line], rules: &[Rule]) -> Output {
    let mut out = Output::default();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut carry: Vec<VRow> = Vec::new();
    for (page, words) in rows::page_words(lines) {
        let (ps, leftover, c) = page_pieces(page, words, rules, std::mem::take(&mut carry));
        carry = c;
        let last = leftover.len().saturating_sub(1);
        for (k, r) in leftover.iter().enumerate() {
            if (k == 0 || k == last) && heads::is_page_number(r) {
                out.diagnostics.push(Diagnostic::info(
                    "page_number",
                    format!("page number “{}” on a page without a table", r.compact()),
                    Some(row_position(r)),
                ));
            } else {
                out.diagnostics.push(Diagnostic::warning(
                    "unplaced_text",
                    format!("text on a page without a table, in no annex: “{}”", r.text()),
                    Some(row_position(r)),
                ));
            }
        }
        for mut p in ps {
            // A stream table continued on the next page shows only the columns that hold
            // something there: read it again on the previous page's column boundaries.
            if let Some(prev) = pieces.last() {
                let candidate = p.first_on_page
                    && p.head.is_bare()
                    && p.found.method == "stream"
                    && prev.found.method == "stream"
                    && p.found.page == prev.found.last_page + 1;
                let headless = p.found.header.iter().all(|h| h.is_empty());
                if candidate
                    && !tables::continues(&prev.found, &p.found)
                    && let Some(f) = regrid(&p.found, &prev.found.xs, headless)
                    && (headless || f.header == prev.found.header)
                {
                    p.found = f;
                }
            }
            let merge = match pieces.last() {
                Some(prev) => {
                    p.first_on_page
                        && (p.head.is_bare() || (p.head.title.is_some() && p.head.title == prev.head.title))
                        && tables::continues(&prev.found, &p.found)
                }
                None => false,
            };
            if merge {
                let prev = pieces.last_mut().expect("checked");
                tables::append(&mut prev.found, p.found);
                prev.head.words.extend(p.head.words);
                prev.notes.extend(p.notes);
                prev.extra.extend(p.extra);
                prev.page_numbers.extend(p.page_numbers);
            } else {
                pieces.push(p);
            }
        }
    }
    for r in carry {
        out.diagnostics.push(Diagnostic::warning(
            "unplaced_text",
            format!("text after the last table, in no annex: “{}”", r.text()),
            Some(row_position(&r)),
        ));
    }
    for (i, p) in pieces.into_iter().enumerate() {
        match delegate(&p, lines, rules) {
            Some(a) => out.annexes.push(a),
            None => out.annexes.push(annex_of(p, i)),
        }
    }
    // A table whose head prints no year takes the document's (the year most tables print).
    let mut years: Vec<i32> = out.annexes.iter().filter_map(|a| a.year).collect();
    years.sort_unstable();
    let common = years.chunk_by(|a, b| a == b).max_by_key(|g| g.len()).map(|g| g[0]);
    if let Some(y) = common {
        for a in out.annexes.iter_mut().filter(|a| a.year.is_none()) {
            a.year = Some(y);
            a.diagnostics.push(Diagnostic::info(
                "year_from_document",
                format!("no year printed above this table: {y}, the year the document's other tables print"),
                None,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no crate needed).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u32 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) as u32
        }
        fn f(&mut self, max: f32) -> f32 {
            (self.next() % 10_000) as f32 / 10_000.0 * max
        }
    }

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

    /// A ruled table and, below it, a three-line table (horizontal rules only, no cells):
    /// both are found, each with its title, in visual order.
    #[test]
    fn ruled_and_unruled_tables_on_one_page() {
        let mut rules = Vec::new();
        for y in [700.0, 680.0, 660.0] {
            rules.push(Rule { page: 1, x0: 40.0, y0: y, x1: 240.0, y1: y });
        }
        for x in [40.0, 140.0, 240.0] {
            rules.push(Rule { page: 1, x0: x, y0: 660.0, x1: x, y1: 700.0 });
        }
        for y in [560.0, 540.0, 460.0] {
            rules.push(Rule { page: 1, x0: 40.0, y0: y, x1: 240.0, y1: y });
        }
        let lines = vec![
            line(1, 720.0, &[("甲表", 100.0, 130.0)]),
            line(2, 685.0, &[("项目", 50.0, 70.0), ("金额", 200.0, 220.0)]),
            line(3, 665.0, &[("合计", 50.0, 70.0), ("5.00", 210.0, 230.0)]),
            line(4, 580.0, &[("乙表", 100.0, 130.0)]),
            line(5, 545.0, &[("项目", 50.0, 70.0), ("金额", 200.0, 220.0)]),
            line(6, 525.0, &[("一、房屋", 50.0, 90.0), ("3.00", 210.0, 230.0)]),
            line(7, 505.0, &[("二、设备", 50.0, 90.0), ("2.00", 210.0, 230.0)]),
            line(8, 485.0, &[("三、车辆", 50.0, 90.0), ("1.00", 210.0, 230.0)]),
        ];
        let out = annexes(&lines, &rules);
        let titles: Vec<Option<&str>> = out.annexes.iter().map(|a| a.title.as_deref()).collect();
        assert_eq!(titles, [Some("甲表"), Some("乙表")]);
        let t = &out.annexes[1].tables[0];
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.columns[0].key.as_deref(), Some("amount"));
        assert!(out.annexes[1].diagnostics.iter().any(|d| d.code == "table_found" && d.message.contains("stream")));
        assert!(out.annexes.iter().all(|a| !a.diagnostics.iter().any(|d| d.code == "unplaced_text")));
    }

    /// Random rules and words — grids with holes, overlapping frames, words on rules,
    /// degenerate sizes — never make the finder panic, and every word lands somewhere.
    #[test]
    fn random_layouts_never_panic() {
        let texts = ["合计", "201", "20101", "1,234.00", "项目名称", "金额", "一、收入", "单位：万元", "—", "12", "注：说明"];
        for seed in 0..200u64 {
            let mut g = Lcg(seed);
            let pages = 1 + g.next() % 3;
            let mut rules = Vec::new();
            let mut lines = Vec::new();
            for p in 1..=pages {
                let xs: Vec<f32> = (0..g.next() % 6).map(|_| g.f(600.0)).collect();
                let ys: Vec<f32> = (0..g.next() % 8).map(|_| g.f(800.0)).collect();
                for &y in &ys {
                    let (a, b) = (g.f(600.0), g.f(600.0));
                    rules.push(Rule { page: p, x0: a, y0: y, x1: b, y1: y + g.f(1.0) });
                }
                for &x in &xs {
                    let (a, b) = (g.f(800.0), g.f(800.0));
                    rules.push(Rule { page: p, x0: x, y0: a, x1: x + g.f(1.0), y1: b });
                }
                for _ in 0..g.next() % 25 {
                    let y = g.f(800.0);
                    let n = 1 + g.next() % 4;
                    let tokens = (0..n)
                        .map(|_| {
                            let x0 = g.f(600.0);
                            Token { text: texts[(g.next() as usize) % texts.len()].to_string(), x0, x1: x0 + g.f(80.0), y: Some(y + g.f(8.0)) }
                        })
                        .collect();
                    let size = if g.next() % 10 == 0 { 0.0 } else { 4.0 + g.f(10.0) };
                    lines.push(Line { number: lines.len() + 1, page: Some(p), y: Some(y), size: Some(size), starts_block: true, tokens });
                }
            }
            let out = annexes(&lines, &rules);
            let words: usize = lines.iter().map(|l| l.tokens.len()).sum();
            let placed: usize = out.annexes.iter().map(|a| a.tables.len()).sum::<usize>() + out.diagnostics.len();
            assert!(words == 0 || placed > 0 || !out.annexes.is_empty(), "seed {seed}: words vanished");
        }
    }
}
