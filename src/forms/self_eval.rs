//! Self-evaluation and performance-goals forms on grid rows: fields, the funds block,
//! goals, indicators, total. Every column is found by its header words
//! ([`super::columns`]); merged level-1 / level-2 cells are carried to every row they
//! cover and across page breaks; unknown indicator columns go to `extra`.

use super::blocks::{self, Col, GoalKey};
use super::columns::{self, IndKey};
use super::{compact, fields};
use crate::grid::Row;
use crate::model::{Annex, Cell, Column, Diagnostic, Goals, Indicator, Position, Row as TRow, Table, Total};
use regex::Regex;
use rust_decimal::Decimal;
use std::sync::LazyLock;

static LEVEL_WEIGHT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?)\s*[（(]\s*(\d{1,3}(?:\.\d+)?)\s*分\s*[）)]\s*$").unwrap());
static UNIT_IN_CAPTION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[（(]\s*(万元|元|亿元|千元)\s*[）)]").unwrap());
const GRADES: &[&str] = &["优", "良", "中", "差", "优秀", "良好", "合格", "不合格", "较差", "一般"];

/// The rows of the annex that a step consumed.
pub type Used = Vec<bool>;


fn pos(r: &Row) -> Option<Position> {
    Some(Position { page: r.page, line: Some(r.row + 1) })
}

/// `产出指标(50分)` → (Some("产出指标"), Some(50)); `(50分)` → (None, Some(50)).
pub fn label_weight(s: &str) -> (Option<String>, Option<Decimal>) {
    let s = compact(s);
    match LEVEL_WEIGHT.captures(&s) {
        Some(m) => {
            let name = m[1].trim().to_string();
            ((!name.is_empty()).then_some(name), m[2].parse().ok())
        }
        None => ((!s.is_empty()).then_some(s), None),
    }
}

/// A weight or score as printed (`2.00`, `10分`).
fn decimal(s: &str) -> Option<Decimal> {
    crate::heuristics::column_by_arithmetic::amount(compact(s).trim_end_matches('分'))
}

/// Build the parts of a self-evaluation / performance-goals annex from its rows; returns
/// which rows were used.
pub fn build(annex: &mut Annex, rows: &[Row]) -> Used {
    let mut used = vec![false; rows.len()];
    let mut map = annex.fields.take().unwrap_or_else(fields::new_map);
    let ih = (0..rows.len()).find(|&i| blocks::indicator_header(rows, i).is_some());
    let end_of_head = ih.unwrap_or(rows.len());
    let fh = (0..end_of_head).find(|&i| blocks::funds_header(rows, i).is_some());
    let gh = (fh.unwrap_or(0)..end_of_head).find(|&i| blocks::goals_header(rows, i).is_some());
    // Head fields: every row before the first block.
    let first_block = [fh, gh, ih].into_iter().flatten().min().unwrap_or(rows.len());
    for i in 0..first_block {
        read_fields(annex, &mut map, &rows[i]);
        used[i] = true;
    }
    if let Some(f) = fh {
        let stop = [gh, ih].into_iter().flatten().filter(|&x| x > f).min().unwrap_or(rows.len());
        funds(annex, rows, f, stop, &mut used);
    }
    if let Some(g) = gh {
        let stop = ih.filter(|&x| x > g).unwrap_or(rows.len());
        goals(annex, &mut map, rows, g, stop, &mut used);
    }
    let (after, total_cols) = match ih {
        Some(h) => indicators(annex, rows, h, &mut used),
        None => (rows.len(), (None, None)),
    };
    tail(annex, &mut map, rows, after, &total_cols, &mut used);
    // A form with no goals block prints its goal as a field (年度目标： …): that is the
    // expected goal.
    if annex.goals.is_none()
        && let Some(k) = ["年度目标", "年度绩效目标", "绩效目标", "年度总体目标"].iter().find(|k| map.get(**k).is_some_and(|v| v.is_string()))
        && let Some(serde_json::Value::String(v)) = map.remove(*k)
    {
        annex.diagnostics.push(Diagnostic::info("goal_from_field", format!("the field “{k}” is the annex's expected goal (no goals block is printed)"), None));
        annex.goals = Some(Goals { expected: Some(v), actual: None });
    }
    annex.fields = Some(map);
    used
}

/// A head or tail row: fields, sign-off pieces, a unit, a printed total score.
fn read_fields(annex: &mut Annex, map: &mut serde_json::Map<String, serde_json::Value>, row: &Row) {
    // A caption running down beside the fields (项目资金（元） | 项目资金总额 | 4,100,000.00 | …)
    // is the odd cell out before label–value pairs: no label of this row.
    let mut own: Vec<&crate::grid::RowCell> = row.cells.iter().filter(|c| c.first).collect();
    if own.len() % 2 == 1 && own.len() > 1 && own[0].merged_down {
        own.remove(0);
    }
    let f = fields::read_row(&own);
    if f.unit.is_some() && annex.unit.is_none() {
        annex.unit = f.unit;
    }
    let mut rest = Vec::new();
    for (k, v) in f.pairs {
        let ck = compact(&k);
        if crate::grammar::signoff::is_signoff_line(&ck) || matches!(ck.as_str(), "填表人" | "填报日期" | "联系电话") {
            let text = format!("{ck}：{}", v.clone().unwrap_or_default());
            if let Some(s) = crate::grammar::signoff::parse(&text) {
                let so = annex.signoff.get_or_insert_with(Default::default);
                so.preparer = so.preparer.take().or(s.preparer);
                so.date = so.date.take().or(s.date);
                so.phone = so.phone.take().or(s.phone);
                so.head = so.head.take().or(s.head);
            }
            continue;
        }
        if ck.starts_with("自评总分") || ck.starts_with("总分") {
            let t = annex.total.get_or_insert_with(Default::default);
            t.score = t.score.or(v.as_deref().and_then(decimal));
            continue;
        }
        rest.push((k, v));
    }
    fields::merge(map, rest);
}

fn funds(annex: &mut Annex, rows: &[Row], f: usize, stop: usize, used: &mut Used) {
    let Some((caption, cols)) = blocks::funds_header(rows, f) else { return };
    used[f] = true;
    let title = caption.as_ref().map(|c| c.text.clone());
    let unit = title.as_deref().and_then(|t| UNIT_IN_CAPTION.captures(t)).map(|m| m[1].to_string());
    if annex.unit.is_none() {
        annex.unit = unit.clone();
    }
    let first_x = cols.first().map(|(c, _)| c.x0).unwrap_or(f32::MAX);
    // A stub header between the caption and the first column names the first data row
    // when that row prints no label of its own.
    let stub: Option<String> = rows[f]
        .own()
        .find(|c| c.x1 <= first_x + 0.5 && caption.as_ref().is_none_or(|k| k.id != c.id) && columns::funds_key(&c.text).is_none())
        .map(|c| c.text.clone());
    let mut table = Table {
        name: "funds".into(),
        title,
        unit: unit.clone().or(annex.unit.clone()),
        columns: cols.iter().map(|(c, k)| Column { key: k.map(str::to_string), label: c.label.clone() }).collect(),
        rows: Vec::new(),
    };
    let mut breakdowns: Vec<(Col, Table)> = Vec::new();
    for (i, row) in rows.iter().enumerate().take(stop).skip(f + 1) {
        if row.is_empty() {
            used[i] = true;
            continue;
        }
        if breakdown_row(row, &mut breakdowns, table.unit.clone()) {
            used[i] = true;
            continue;
        }
        let label: String = row
            .own()
            .filter(|c| c.x1 <= first_x + 0.5 && caption.as_ref().is_none_or(|k| k.id != c.id))
            .map(|c| c.text.as_str())
            .collect();
        let cells: Vec<Option<Cell>> = cols
            .iter()
            .map(|(c, _)| blocks::cell_under(row, c.x0, c.x1).filter(|x| x.first && x.x0 >= first_x - 0.5).and_then(|x| crate::cell::parse(&x.text)))
            .collect();
        if label.is_empty() && cells.iter().all(Option::is_none) {
            continue;
        }
        used[i] = true;
        let label = match (&stub, label.is_empty() && table.rows.is_empty()) {
            (Some(s), true) => {
                annex.diagnostics.push(Diagnostic::info("stub_label_used", format!("the first funds row prints no label: it takes the header's stub “{s}”"), pos(row)));
                s.clone()
            }
            _ => label,
        };
        let label = label.trim_start_matches("其中").trim_start_matches([':', '：']).trim_end_matches([':', '：']).to_string();
        let total_first = table.rows.first().is_some_and(|r: &TRow| ["总额", "合计", "总计"].iter().any(|w| r.label.contains(w)));
        let (level, parent) = if total_first { (1, Some(0)) } else { (0, None) };
        table.rows.push(TRow { code: None, label, level, parent, cells });
    }
    annex.tables.push(table);
    annex.tables.extend(breakdowns.into_iter().map(|(_, t)| t));
}

/// 按收入性质分 / 按支出性质分 and their `label：amount` rows (the department form).
fn breakdown_row(row: &Row, breakdowns: &mut Vec<(Col, Table)>, unit: Option<String>) -> bool {
    let heads: Vec<_> = row.own().filter(|c| compact(&c.text).contains("性质分")).collect();
    if !heads.is_empty() {
        for h in heads {
            let t = compact(&h.text);
            let t = t.trim_end_matches([':', '：']).to_string();
            let name = if t.contains("收入") { "funds_by_source" } else { "funds_by_use" };
            let table = Table {
                name: name.into(),
                title: Some(t),
                unit: unit.clone(),
                columns: vec![Column { key: Some("amount".into()), label: "金额".into() }],
                rows: Vec::new(),
            };
            breakdowns.push((Col { x0: h.x0, x1: h.x1, label: h.text.clone() }, table));
        }
        return true;
    }
    if breakdowns.is_empty() {
        return false;
    }
    let mut any = false;
    for c in row.own() {
        let Some((_, t)) = breakdowns.iter_mut().find(|(h, _)| blocks::overlap(h.x0, h.x1, c.x0, c.x1) > 0.5) else { continue };
        let text = compact(&c.text);
        let text = text.trim_start_matches("其中").trim_start_matches([':', '：']);
        let (label, value) = match text.rfind(['：', ':']) {
            Some(p) => (&text[..p], text[p..].trim_start_matches(['：', ':'])),
            None => (text, ""),
        };
        t.rows.push(TRow { code: None, label: label.to_string(), level: 0, parent: None, cells: vec![crate::cell::parse(value)] });
        any = true;
    }
    any
}

fn goals(annex: &mut Annex, map: &mut serde_json::Map<String, serde_json::Value>, rows: &[Row], g: usize, stop: usize, used: &mut Used) {
    let Some(cols) = blocks::goals_header(rows, g) else { return };
    used[g] = true;
    let mut texts: Vec<String> = vec![String::new(); cols.len()];
    for (i, row) in rows.iter().enumerate().take(stop).skip(g + 1) {
        for (k, (c, _)) in cols.iter().enumerate() {
            if let Some(cell) = blocks::cell_under(row, c.x0, c.x1).filter(|x| x.first) {
                texts[k].push_str(&cell.text);
            }
        }
        used[i] = true;
    }
    let mut goals = Goals { expected: None, actual: None };
    for ((c, k), t) in cols.iter().zip(texts) {
        let v = (!t.is_empty()).then_some(t);
        match k {
            GoalKey::Expected => goals.expected = goals.expected.take().or(v),
            GoalKey::Actual => goals.actual = goals.actual.take().or(v),
            GoalKey::Other => fields::merge(map, vec![(fields::key_of(&c.label), v)]),
        }
    }
    annex.goals = Some(goals);
}

/// The indicator block from its header at `h`; returns the first row after it and the
/// weight and score columns (the total row's).
fn indicators(annex: &mut Annex, rows: &[Row], h: usize, used: &mut Used) -> (usize, TotalCols) {
    let Some((cols, n)) = blocks::indicator_header(rows, h) else { return (h, (None, None)) };
    for u in used.iter_mut().skip(h).take(n) {
        *u = true;
    }
    let mapped: Vec<String> = cols.iter().map(|(c, k)| format!("{} → {}", c.label, k.map_or("extra", IndKey::as_str))).collect();
    annex.diagnostics.push(Diagnostic::info("column_mapped", format!("indicator columns by header words: {}", mapped.join("; ")), pos(&rows[h])));
    let col = |k: IndKey| cols.iter().find(|(_, x)| *x == Some(k)).map(|(c, _)| c);
    let total_cols: TotalCols = (col(IndKey::Weight).map(|c| (c.x0, c.x1)), col(IndKey::Score).map(|c| (c.x0, c.x1)));
    let mut placeholders = 0;
    let label_cols: Vec<&Col> = cols.iter().filter(|(_, k)| matches!(k, Some(IndKey::Level1 | IndKey::Level2 | IndKey::Name))).map(|(c, _)| c).collect();
    let mut l1: (Option<String>, Option<Decimal>) = (None, None);
    let mut l2: Option<String> = None;
    let mut any_star = false;
    let mut out: Vec<Indicator> = Vec::new();
    // Indicators since a label cell that a page break cut before its text (see `opens_before_break`).
    let (mut open1, mut open2): (Option<usize>, Option<usize>) = (None, None);
    let mut pieces: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    let mut i = h + n;
    while i < rows.len() {
        let row = &rows[i];
        if blocks::is_total_row(row) || blocks::is_signoff_row(row) || blocks::is_note_row(row) {
            break;
        }
        if let Some((_, m)) = blocks::indicator_header(rows, i) {
            annex.diagnostics.push(Diagnostic::info("page_header_dropped", "the indicator header printed again (page break) is not a row", pos(row)));
            for u in used.iter_mut().skip(i).take(m) {
                *u = true;
            }
            i += m;
            continue;
        }
        // A row whose first cell spans two label columns, or runs from the block caption's
        // column into them (说明 | 无), is a field row (其他需要说明事项 | 无), not an
        // indicator: in the indicator block the caption's column is the caption's alone.
        let label_x0 = label_cols.iter().map(|c| c.x0).fold(f32::MAX, f32::min);
        // (A free line of a PDF page inside the block is a label's fragment, never a field row.)
        if let Some(first) = row.own().next().filter(|_| row.origin != crate::grid::Origin::Line)
            && (label_cols.iter().filter(|c| blocks::overlap(first.x0, first.x1, c.x0, c.x1) > 0.5).count() >= 2
                || first.x0 < label_x0 - 0.5 && first.x1 > label_x0 + 0.5 && !first.merged_down)
            && row.own().count() <= 3
        {
            break;
        }
        used[i] = true;
        if row.is_empty() {
            i += 1;
            continue;
        }
        // A free line of a PDF page lying under a label column is a piece of that column's
        // label, printed outside the ruled cells (a merged label cut by a page break):
        // consecutive pieces join, and the label applies from the next row on.
        if let Some(c) = row.single().filter(|_| row.origin == crate::grid::Origin::Line)
            && let Some(k) = [IndKey::Level1, IndKey::Level2]
                .into_iter()
                .find(|k| col(*k).is_some_and(|lc| blocks::overlap(c.x0, c.x1, lc.x0, lc.x1) > 0.9))
        {
            pieces.entry(k.as_str()).or_default().push_str(&compact(&c.text));
            i += 1;
            continue;
        }
        let text_of = |c: Option<&Col>| c.and_then(|c| blocks::cell_under(row, c.x0, c.x1)).map(|x| x.text.clone()).unwrap_or_default();
        let first_of = |c: Option<&Col>| c.and_then(|c| blocks::cell_under(row, c.x0, c.x1)).filter(|x| x.first).map(|x| x.text.clone()).unwrap_or_default();
        let t1 = pieces.remove("level1").unwrap_or_else(|| text_of(col(IndKey::Level1)));
        if !t1.is_empty() {
            // The same label printed again after a page break continues; a new one resets level 2.
            let new = label_weight(&t1);
            if let Some(joined) = completes(&l1, &new) {
                // `产出指标` and `(50分)` printed apart (a label centred on a span the rules
                // did not close): one label, given to the rows it already covers.
                let n = out.iter_mut().rev().take_while(|x| (x.level1.clone(), x.level1_weight) == l1).map(|x| (x.level1, x.level1_weight) = joined.clone()).count();
                annex.diagnostics.push(Diagnostic::info(
                    "label_pieces_joined",
                    format!("level-1 label printed in two pieces joined: {}({}分), given to {n} row(s) above", joined.0.clone().unwrap_or_default(), joined.1.map(|d| d.to_string()).unwrap_or_default()),
                    pos(row),
                ));
                l1 = joined;
            } else if new != l1 {
                l1 = new;
                l2 = None;
            }
            backfill(annex, &mut out, &mut open1, &t1, |ind| (ind.level1, ind.level1_weight) = l1.clone());
        } else if opens_before_break(row, col(IndKey::Level1)) {
            open1.get_or_insert(out.len());
            l1 = (None, None);
            l2 = None;
        }
        let t2 = pieces.remove("level2").unwrap_or_else(|| compact(&text_of(col(IndKey::Level2))));
        if !t2.is_empty() {
            l2 = Some(t2);
            let label = l2.clone().unwrap_or_default();
            backfill(annex, &mut out, &mut open2, &label, |ind| ind.level2 = l2.clone());
        } else if opens_before_break(row, col(IndKey::Level2)) {
            open2.get_or_insert(out.len());
            l2 = None;
        }
        let raw_name = compact(&first_of(col(IndKey::Name)));
        let stars = raw_name.chars().take_while(|c| *c == '★' || *c == '☆').count();
        let name: String = raw_name.chars().skip(stars).collect();
        any_star |= stars > 0;
        let mut target = crate::cell::parse(&text_of(col(IndKey::Target)));
        let mut actual = crate::cell::parse(&first_of(col(IndKey::Actual)));
        let weight = decimal(&first_of(col(IndKey::Weight)));
        let score = decimal(&first_of(col(IndKey::Score)));
        if is_placeholder(&name) && weight.is_none() && score.is_none() {
            placeholders += 1;
            i += 1;
            continue;
        }
        let mut extra = serde_json::Map::new();
        let mut core = None;
        for (c, _) in cols.iter().filter(|(_, k)| k.is_none()) {
            let v = blocks::cell_under(row, c.x0, c.x1).map(|x| x.text.clone()).filter(|t| !t.is_empty());
            apply_side_column(&c.label, v.as_deref(), &mut target, &mut actual, &mut core);
            extra.insert(c.label.clone(), v.map(serde_json::Value::String).unwrap_or(serde_json::Value::Null));
        }
        if stars > 0 {
            core = Some(true);
        }
        let deviation = Some(first_of(col(IndKey::Deviation))).filter(|d| !d.is_empty());
        out.push(Indicator { level1: l1.0.clone(), level1_weight: l1.1, level2: l2.clone(), name, target, actual, weight, score, deviation, extra, core });
        i += 1;
    }
    let filled = open1.map_or(0, |o| out.len() - o) + open2.map_or(0, |o| out.len() - o);
    if filled > 0 {
        annex.diagnostics.push(Diagnostic::warning("merged_label_unresolved", format!("{filled} indicator label(s) cut by a page break with no text printed after it"), pos(&rows[h])));
    }
    if placeholders > 0 {
        annex.diagnostics.push(Diagnostic::info(
            "placeholder_row_skipped",
            format!("{placeholders} template placeholder row(s) (指标N: with nothing after it, ……, /) with no weight or score: not indicators"),
            pos(&rows[h]),
        ));
    }
    if any_star {
        for ind in out.iter_mut().filter(|x| x.core.is_none()) {
            ind.core = Some(false);
        }
    }
    annex.indicators = out;
    (i, total_cols)
}

/// A name-only and a weight-only label (either order) make one label: `产出指标` + `(50分)`.
fn completes(cur: &(Option<String>, Option<Decimal>), new: &(Option<String>, Option<Decimal>)) -> Option<(Option<String>, Option<Decimal>)> {
    match (cur, new) {
        ((Some(n), None), (None, Some(w))) | ((None, Some(w)), (Some(n), None)) => Some((Some(n.clone()), Some(*w))),
        _ => None,
    }
}

/// A label cell cut by a page break before its text: empty, starting below the grid's top
/// rows and running down to the grid's last row. Its text is printed in the part after the
/// break (an office suite draws a merged label at the middle of its whole span).
fn opens_before_break(row: &Row, col: Option<&Col>) -> bool {
    col.and_then(|c| blocks::cell_under(row, c.x0, c.x1)).is_some_and(|x| x.text.is_empty() && x.first && x.bottom && x.row0 > 1)
}

/// Give the indicators since `open` the label printed after the page break, and say so.
fn backfill(annex: &mut Annex, out: &mut [Indicator], open: &mut Option<usize>, label: &str, set: impl Fn(&mut Indicator)) {
    if let Some(o) = open.take() {
        let n = out.len().saturating_sub(o);
        out.iter_mut().skip(o).for_each(set);
        if n > 0 {
            annex.diagnostics.push(Diagnostic::info(
                "merged_label_carried",
                format!("label “{label}”, printed after a page break, given to the {n} indicator row(s) above the break that its cell covers"),
                None,
            ));
        }
    }
}

/// `指标1：` with nothing after it, `……`, `/`: a template's placeholder row.
fn is_placeholder(name: &str) -> bool {
    let rest = name.trim_start_matches("指标").trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches([':', '：']);
    let rest = if name.starts_with("指标") { rest } else { name };
    rest.chars().all(|c| matches!(c, '…' | '.' | '/' | '-' | '—' | '、') || c.is_whitespace())
}

/// A comparator column (指标性质), a unit column (度量单位) or a core mark (是否核心指标)
/// completes the target and actual cells and the core flag.
fn apply_side_column(label: &str, v: Option<&str>, target: &mut Option<Cell>, actual: &mut Option<Cell>, core: &mut Option<bool>) {
    let Some(v) = v else { return };
    if columns::is_core_column(label) {
        *core = match v.trim() {
            "是" | "√" | "★" => Some(true),
            "否" => Some(false),
            _ => *core,
        };
    } else if columns::is_unit_column(label) {
        for (c, bare_only) in [(target.as_mut(), false), (actual.as_mut(), true)] {
            if let Some(c) = c
                && c.number.is_some()
                && c.unit.is_none()
                && (!bare_only || blocks::is_number(&c.text))
            {
                c.unit = Some(v.trim().to_string());
            }
        }
    } else if let Some(cmp) = columns::comparator_column(v)
        && let Some(t) = target.as_mut()
        && t.number.is_some()
        && t.cmp.is_none()
    {
        t.cmp = Some(cmp.to_string());
    }
}

/// Rows after the indicator block: total, fields, notes, sign-off.
fn tail(annex: &mut Annex, map: &mut serde_json::Map<String, serde_json::Value>, rows: &[Row], from: usize, weight_col: &TotalCols, used: &mut Used) {
    for (i, row) in rows.iter().enumerate().skip(from) {
        if used[i] || row.is_empty() {
            used[i] = true;
            continue;
        }
        used[i] = true;
        if blocks::is_total_row(row) && annex.total.as_ref().is_none_or(|t| t.score.is_none()) {
            annex.total = Some(total(row, weight_col));
        } else if blocks::is_note_row(row) || !annex.notes.is_empty() && row.single().is_some() && !blocks::is_signoff_row(row) {
            annex.notes.push(row.text());
        } else if blocks::is_signoff_row(row) && row.single().is_some() {
            if let Some(s) = crate::grammar::signoff::parse(&row.text()) {
                annex.signoff = Some(s);
            }
        } else {
            read_fields(annex, map, row);
        }
    }
}

/// The weight and score columns' extents, for the total row.
type TotalCols = (Option<(f32, f32)>, Option<(f32, f32)>);

fn total(row: &Row, cols: &TotalCols) -> Total {
    let own: Vec<_> = row.own().collect();
    let label = own.first().map(|c| c.text.clone()).unwrap_or_default();
    let (_, label_weight) = label_weight(&label);
    let under = |x: Option<(f32, f32)>| x.and_then(|(a, b)| blocks::cell_under(row, a, b)).filter(|c| c.first).and_then(|c| decimal(&c.text));
    let mut t = Total { weight: under(cols.0), score: under(cols.1), grade: None };
    let numbers: Vec<Decimal> = own.iter().skip(1).filter_map(|c| decimal(&c.text)).collect();
    if t.weight.is_none() && t.score.is_none() {
        match (label_weight, numbers.as_slice()) {
            (Some(w), [s, ..]) => (t.weight, t.score) = (Some(w), Some(*s)),
            (None, [w, s, ..]) => (t.weight, t.score) = (Some(*w), Some(*s)),
            (None, [s]) => t.score = Some(*s),
            _ => {}
        }
    } else if t.weight.is_none() {
        t.weight = label_weight;
    }
    t.grade = own.iter().skip(1).map(|c| compact(&c.text)).find(|s| GRADES.contains(&s.as_str()));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_labels_with_and_without_their_weight() {
        assert_eq!(label_weight("产出指标\n(50分)"), (Some("产出指标".into()), Some(Decimal::from(50))));
        assert_eq!(label_weight("(50分)"), (None, Some(Decimal::from(50))));
        assert_eq!(label_weight("效益指标"), (Some("效益指标".into()), None));
    }

    #[test]
    fn a_label_and_its_weight_printed_apart_make_one_label() {
        let name = (Some("产出指标".to_string()), None);
        let weight = (None, Some(Decimal::from(50)));
        let both = Some((Some("产出指标".to_string()), Some(Decimal::from(50))));
        assert_eq!(completes(&name, &weight), both);
        assert_eq!(completes(&weight, &name), both);
        assert_eq!(completes(&name, &(Some("效益指标".to_string()), None)), None);
    }

    #[test]
    fn placeholders_of_a_template() {
        assert!(is_placeholder("指标2:"));
        assert!(is_placeholder("……"));
        assert!(is_placeholder("指标1:/"));
        assert!(!is_placeholder("指标1:工程质量合格"));
        assert!(!is_placeholder("预算完成率"));
    }
}
