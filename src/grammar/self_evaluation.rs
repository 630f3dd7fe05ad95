//! Grammar of the self-evaluation forms (部门整体 / 项目 / 基金 支出绩效自评表):
//! fields → funds (项目资金) → goals (年度总体目标) → indicators (绩效指标) → total (总分).
//!
//! The annex's cells are cut into those parts at their captions, and each part has its
//! own small grammar below.

use super::columns;
use super::frag::Frag;
use super::rows::{self, Parsed};
use super::vocab;
use crate::cell;
use crate::heuristics::column_by_arithmetic::{self as arith, Context};
use crate::heuristics::{deviation_split, indicator_partition, page_headers};
use crate::model::{Annex, Column, Diagnostic, Goals, Indicator, Row, Table, Total};
use rust_decimal::Decimal;

/// Everything the self-evaluation grammar fills, and the cells it could not place.
pub struct Parts {
    pub unplaced: Vec<Frag>,
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Build the self-evaluation parts of `annex` from its cells.
pub fn build(annex: &mut Annex, cells: Vec<Frag>, marked: bool, em: f32) -> Parts {
    let mut unplaced = Vec::new();
    let n = cells.len();
    let find = |from: usize, pred: &dyn Fn(&str) -> bool| (from..n).find(|&i| pred(&squash(&cells[i].text)));
    let funds_i = find(0, &|s| vocab::is_funds_caption(s))
        .or_else(|| find(0, &|s| s.starts_with("年初预算") || s == "年初"))
        .or_else(|| find(0, &|s| s.starts_with("年度资金总额")));
    let goals_i = find(funds_i.unwrap_or(0), &|s| s == "年度总体目标" || s == "总体目标" || s == "年度绩效目标");
    let ind_i = find(goals_i.or(funds_i).unwrap_or(0), &|s| {
        s == "绩效指标" || s == "一级指标" || vocab::level1_with_weight(s).is_some()
    });
    let total_i = find(ind_i.unwrap_or(0), &|s| s == "总分" || s == "合计" || s == "总计")
        .or_else(|| {
            (ind_i.unwrap_or(0)..n.saturating_sub(1)).find(|&i| cells[i].text == "总" && cells[i + 1].text == "分")
        });

    let ends: Vec<usize> = [funds_i, goals_i, ind_i, total_i, Some(n)].iter().flatten().copied().collect();
    let next_after = |i: usize| ends.iter().copied().filter(|&e| e > i).min().unwrap_or(n);

    // Fields: everything before the funds caption.
    let fields_end = funds_i.or(goals_i).or(ind_i).unwrap_or(n);
    let (fields, mut rest) = parse_fields(&cells[..fields_end], &mut annex.diagnostics);
    unplaced.append(&mut rest);
    annex.fields = Some(fields);

    if let Some(f) = funds_i {
        let end = next_after(f);
        let (tables, mut rest) = parse_funds(&cells[f..end], annex.unit.clone(), marked, em, &mut annex.diagnostics);
        annex.tables.extend(tables);
        unplaced.append(&mut rest);
    }
    if let Some(g) = goals_i {
        let end = next_after(g);
        let (goals, mut rest) = parse_goals(&cells[g..end], marked, em, &mut annex.diagnostics);
        annex.goals = goals;
        unplaced.append(&mut rest);
    }
    if let Some(i) = ind_i {
        let end = next_after(i);
        let (inds, mut rest) = parse_indicators(&cells[i..end], marked, em, &mut annex.diagnostics);
        annex.indicators = inds;
        unplaced.append(&mut rest);
    }
    if let Some(t) = total_i {
        let (total, mut rest) = parse_total(&cells[t..]);
        annex.total = total;
        unplaced.append(&mut rest);
    }
    Parts { unplaced }
}

/// Field labels and their values (`项目支出名称 X`, `主管部门 Y 实施单位 Z`). A label split
/// around its value (`项目支` / value / `出名称`) is put back together.
pub fn parse_fields(cells: &[Frag], diags: &mut Vec<Diagnostic>) -> (serde_json::Map<String, serde_json::Value>, Vec<Frag>) {
    let mut map = serde_json::Map::new();
    for k in ["project_name", "department", "implementer"] {
        map.insert(k.to_string(), serde_json::Value::Null);
    }
    let mut unplaced = Vec::new();
    let mut cur: Option<String> = None;
    let mut val = String::new();
    let mut skip = std::collections::HashSet::new();
    let flush = |cur: &mut Option<String>, val: &mut String, map: &mut serde_json::Map<String, serde_json::Value>| {
        if let Some(k) = cur.take() {
            let v = val.trim().to_string();
            let prev_empty = map.get(&k).is_none_or(|x| x.is_null());
            if prev_empty {
                map.insert(k, if v.is_empty() { serde_json::Value::Null } else { serde_json::Value::String(v) });
            }
        }
        val.clear();
    };
    for (i, c) in cells.iter().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        let t = squash(&c.text);
        if let Some(k) = vocab::field_key(&t) {
            flush(&mut cur, &mut val, &mut map);
            cur = Some(k.to_string());
            continue;
        }
        // `填报单位：湖南省…` — label and value in one cell.
        if let Some(pos) = t.find(['：', ':']) {
            let (l, v) = t.split_at(pos);
            if let Some(k) = vocab::field_key(l) {
                flush(&mut cur, &mut val, &mut map);
                cur = Some(k.to_string());
                val.push_str(v.trim_start_matches(['：', ':']));
                continue;
            }
            if matches!(l, "单位" | "金额单位") {
                // `单位：万元` belongs to the annex head, already read into `unit`.
                continue;
            }
        }
        // A label split around its value: prefix here, the rest two cells on.
        if let Some((k, suffix_at)) = split_label(cells, i) {
            flush(&mut cur, &mut val, &mut map);
            diags.push(Diagnostic::info(
                "split_label_joined",
                format!("field label “{}” printed around its value; joined with “{}”", c.text, cells[suffix_at].text),
                Some(c.position()),
            ));
            skip.insert(suffix_at);
            cur = Some(k.to_string());
            continue;
        }
        if cur.is_some() {
            val = crate::heuristics::wrapped_join::join_text(&val, &c.text);
        } else {
            unplaced.push(c.clone());
        }
    }
    flush(&mut cur, &mut val, &mut map);
    (map, unplaced)
}

fn split_label(cells: &[Frag], i: usize) -> Option<(&'static str, usize)> {
    let t = squash(&cells[i].text);
    if t.chars().count() < 2 {
        return None;
    }
    for (label, key) in vocab::FIELDS {
        if label.starts_with(&t) && label.len() > t.len() {
            let rest = &label[t.len()..];
            for j in i + 2..(i + 4).min(cells.len()) {
                if squash(&cells[j].text) == rest {
                    return Some((key, j));
                }
            }
        }
    }
    None
}

const FUNDS_DEFAULT: &[&str] = &["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"];

fn is_header_piece(s: &str) -> bool {
    columns::is_header_word(s)
        || matches!(s, "年初" | "全年" | "预算数" | "执行数" | "调整后" | "实际" | "累计")
}

/// The funds block: caption, header, rows (年度资金总额 and its 其中 rows), and for the
/// department form the 按收入性质分 / 按支出性质分 breakdowns.
pub fn parse_funds(
    cells: &[Frag],
    unit: Option<String>,
    marked: bool,
    em: f32,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Table>, Vec<Frag>) {
    let mut unplaced = Vec::new();
    let mut i = 0;
    let mut title = None;
    if cells.first().is_some_and(|c| vocab::is_funds_caption(&squash(&c.text))) {
        title = Some(squash(&cells[0].text));
        i = 1;
    }
    // Header: a run of header pieces, grouped by line.
    let mut header_lines: Vec<Vec<String>> = Vec::new();
    let mut last_line = usize::MAX;
    while i < cells.len() && is_header_piece(&squash(&cells[i].text)) {
        if cells[i].line != last_line || header_lines.is_empty() {
            header_lines.push(Vec::new());
            last_line = cells[i].line;
        }
        header_lines.last_mut().expect("pushed").push(squash(&cells[i].text));
        i += 1;
    }
    let mut labels = columns::rebuild_header(&header_lines);
    if labels.is_empty() {
        labels = FUNDS_DEFAULT.iter().map(|s| s.to_string()).collect();
    }
    let cols = columns::columns(&labels);
    let key_idx = |k: &str| cols.iter().position(|c| c.key.as_deref() == Some(k));
    let rate_cols: Vec<usize> = key_idx("execution_rate").into_iter().collect();
    let amount_all: Vec<usize> = (0..cols.len()).filter(|c| !rate_cols.contains(c)).collect();
    let child_amounts: Vec<usize> =
        amount_all.iter().copied().filter(|&c| Some(c) != key_idx("weight") && Some(c) != key_idx("score")).collect();
    let budget_col = key_idx("full_year_budget").or(key_idx("budget")).or(key_idx("adjusted_budget"));
    let exec_col = key_idx("executed");

    let breakdown_at = (i..cells.len()).find(|&k| squash(&cells[k].text).contains("按收入性质分") || squash(&cells[k].text).contains("按支出性质分"));
    let rows_end = breakdown_at.unwrap_or(cells.len());
    let (raw, _, _joins) = rows::assemble(&cells[i..rows_end], marked, em, |_| false);
    let parsed: Vec<Parsed> = rows::parse_all(raw);
    // Place values: the first row takes every column; later rows are children of it.
    let mut placed: Vec<Vec<Option<crate::model::Cell>>> = Vec::new();
    let mut amounts: Vec<Vec<Option<Decimal>>> = Vec::new();
    for (k, p) in parsed.iter().enumerate() {
        let amount_cols = if k == 0 { &amount_all } else { &child_amounts };
        let mut ctx = Context { remaining: vec![None; cols.len()], rate: None };
        if k > 0 {
            for c in 0..cols.len() {
                let parent = amounts[0][c];
                let sib: Decimal = amounts[1..].iter().filter_map(|r| r[c]).sum();
                ctx.remaining[c] = parent.map(|p| p - sib);
            }
        }
        if let (Some(b), Some(e)) = (budget_col, exec_col) {
            ctx.rate = Some((b, e, Decimal::ZERO));
        }
        let (cells_k, note) = rows::place_values(&p.raw.values, cols.len(), &rate_cols, amount_cols, &ctx);
        if let Some(note) = note {
            diags.push(Diagnostic::info("column_assigned_by_arithmetic", format!("funds row “{}”: {note}", p.label), Some(p.raw.first.position())));
        }
        amounts.push(cells_k.iter().map(|c| c.as_ref().and_then(|c| arith::amount(&c.text))).collect());
        placed.push(cells_k);
    }
    let levels = rows::hierarchy(&parsed, &amounts, diags);
    let rows_out = rows::to_rows(&parsed, placed, &levels);
    let mut tables = vec![Table { name: "funds".into(), title, unit: unit.clone(), columns: cols, rows: rows_out }];

    if let Some(b) = breakdown_at {
        let (src, usev, mut rest) = parse_breakdown(&cells[b..]);
        unplaced.append(&mut rest);
        let amount_col = vec![Column { key: Some("amount".into()), label: "金额".into() }];
        for (name, title, rows_v) in [("funds_by_source", "按收入性质分", src), ("funds_by_use", "按支出性质分", usev)] {
            tables.push(Table {
                name: name.into(),
                title: Some(title.into()),
                unit: unit.clone(),
                columns: amount_col.clone(),
                rows: rows_v
                    .into_iter()
                    .map(|(label, v)| Row { code: None, label, level: 0, parent: None, cells: vec![v.and_then(|v| cell::parse(&v))] })
                    .collect(),
            });
        }
    }
    (tables, unplaced)
}

type Pairs = Vec<(String, Option<String>)>;

/// `按收入性质分：` / `按支出性质分：` label–value pairs (`一般公共预算：30,996.40`).
fn parse_breakdown(cells: &[Frag]) -> (Pairs, Pairs, Vec<Frag>) {
    let mut src = Vec::new();
    let mut usev = Vec::new();
    let unplaced = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let mut t = squash(&cells[i].text);
        i += 1;
        if t.contains("按收入性质分") || t.contains("按支出性质分") {
            // Both captions may share one cell; nothing else to read from it.
            continue;
        }
        while let Some(r) = t.strip_prefix("其中：").or_else(|| t.strip_prefix("其中:")) {
            t = r.to_string();
        }
        if t.is_empty() {
            continue;
        }
        let (label, value) = match t.rfind(['：', ':']) {
            Some(p) => {
                let (l, v) = t.split_at(p);
                let v = v.trim_start_matches(['：', ':']).to_string();
                (l.to_string(), v)
            }
            None if rows::is_value(&t) => {
                // A value printed apart from its label: it belongs to the last label.
                let target = if usev.last().is_some_and(|(_, v): &(String, Option<String>)| v.is_none()) { &mut usev } else { &mut src };
                if let Some(last) = target.last_mut() {
                    if last.1.is_none() {
                        last.1 = Some(t);
                    }
                }
                continue;
            }
            None => (t.clone(), String::new()),
        };
        let mut value = if value.is_empty() { None } else { Some(value) };
        if value.is_none() && i < cells.len() && rows::is_value(&cells[i].text) && !cells[i].line_start {
            value = Some(cells[i].text.clone());
            i += 1;
        }
        if label.ends_with("支出") {
            usev.push((label, value));
        } else {
            src.push((label, value));
        }
    }
    (src, usev, unplaced)
}

/// 年度总体目标: the expected and the actual text.
pub fn parse_goals(cells: &[Frag], marked: bool, em: f32, diags: &mut Vec<Diagnostic>) -> (Option<Goals>, Vec<Frag>) {
    let body: Vec<&Frag> = cells.iter().filter(|c| !vocab::is_section(&squash(&c.text))).collect();
    if body.is_empty() {
        return (None, Vec::new());
    }
    // Group into paragraphs: a block start or blank line opens a new one when marked.
    let mut groups: Vec<Vec<&Frag>> = Vec::new();
    for c in &body {
        let new = groups.is_empty() || marked && (c.block_start || c.blank_before);
        if new {
            groups.push(Vec::new());
        }
        groups.last_mut().expect("pushed").push(c);
    }
    let text = |g: &[&Frag]| -> String {
        let mut s = String::new();
        for f in g {
            s = crate::heuristics::wrapped_join::join_text(&s, &f.text);
        }
        s
    };
    // One group holding two cells side by side on one line (short goals).
    if marked && groups.len() == 1 {
        let g = &groups[0];
        let cuts: Vec<usize> = (1..g.len()).filter(|&k| !g[k].line_start).collect();
        if cuts.len() == 1 {
            let k = cuts[0];
            let (a, b) = g.split_at(k);
            groups = vec![a.to_vec(), b.to_vec()];
        }
    }
    let (expected, actual) = if groups.len() == 2 {
        (text(&groups[0]), text(&groups[1]))
    } else {
        let flat: Vec<&Frag> = body.clone();
        let cut = goal_split(&flat, em);
        diags.push(Diagnostic::info(
            "goals_split",
            format!("expected/actual goals split before line {} (sentence end, line width and numbering)", flat.get(cut).map_or(0, |f| f.number)),
            flat.get(cut).map(|f| f.position()),
        ));
        (text(&flat[..cut]), text(&flat[cut..]))
    };
    let opt = |s: String| (!s.trim().is_empty()).then_some(s);
    (Some(Goals { expected: opt(expected), actual: opt(actual) }), Vec::new())
}

/// Where the expected-goal text ends and the actual text begins, for an unmarked dump:
/// the best line boundary after a sentence end, on a line shorter than the widest line
/// before it, before a line that starts numbering afresh or changes the line width.
pub fn goal_split(lines: &[&Frag], em: f32) -> usize {
    if lines.len() < 2 {
        return lines.len();
    }
    // Two cells side by side on the only line.
    if lines.len() == 2 && lines[0].line == lines[1].line {
        return 1;
    }
    let starts_numbering = |s: &str| s.starts_with("1、") || s.starts_with("1.") || s.starts_with("（1）") || s.starts_with("一、");
    let mut best = (i32::MIN, lines.len());
    for cut in 1..lines.len() {
        let prev = lines[cut - 1];
        let next = lines[cut];
        let mut s = 0;
        let t = prev.text.trim_end_matches(['\u{3000}', ' ']);
        if t.ends_with(['。', '.', '！', '!']) {
            s += 2;
        } else if t.ends_with(['；', ';']) {
            s += 1;
        }
        let wmax_before = lines[..cut].iter().map(|f| f.width).fold(0.0f32, f32::max);
        if prev.width < wmax_before - 0.75 * em {
            s += 1;
        }
        if prev.text.ends_with('\u{3000}') {
            s += 1;
        }
        if starts_numbering(&next.text) {
            s += 2;
        }
        if !prev.line_end || !next.line_start {
            s -= 5;
        }
        let wmax_after = lines[cut..].iter().map(|f| f.width).fold(0.0f32, f32::max);
        if (wmax_after - wmax_before).abs() >= 0.9 * em {
            s += 1;
        }
        if s > best.0 {
            best = (s, cut);
        }
    }
    if best.0 < 2 { lines.len() } else { best.1 }
}

/// 绩效指标 rows: level labels carried down, header repeats dropped, each row closed by its
/// weight and score, its text cells split into name / target / actual (and a deviation
/// note of the row before when one is printed).
pub fn parse_indicators(cells: &[Frag], marked: bool, em: f32, diags: &mut Vec<Diagnostic>) -> (Vec<Indicator>, Vec<Frag>) {
    let (items, dropped) = page_headers::drop_headers(cells);
    if dropped > 0 {
        diags.push(Diagnostic::info(
            "page_header_dropped",
            format!("{dropped} header cell(s) of the indicator table dropped (table header and its repeats after page breaks)"),
            cells.first().map(|c| c.position()),
        ));
    }
    let mut out: Vec<Indicator> = Vec::new();
    let mut unplaced = Vec::new();
    let mut level1: Option<String> = None;
    let mut level1_weight: Option<Decimal> = None;
    let mut level2: Option<String> = None;
    let mut pending: Vec<Frag> = Vec::new();
    // Indicators whose row closed right before `pending` started (may own a deviation).
    let mut last_closed: Option<usize> = None;
    let mut rows_frags: Vec<(Vec<Frag>, Option<usize>, usize)> = Vec::new(); // (frags, prev row, out index)
    let mut k = 0;
    while k < items.len() {
        let f = &items[k];
        let t = squash(&f.text);
        if let Some((name, w)) = vocab::level1_with_weight(&t) {
            flush_dev(&mut pending, last_closed, &mut out, &mut unplaced);
            last_closed = None;
            level1 = Some(name);
            level1_weight = w.parse().ok();
            level2 = None;
            k += 1;
            continue;
        }
        if vocab::is_level2(&t) {
            flush_dev(&mut pending, last_closed, &mut out, &mut unplaced);
            last_closed = None;
            // 成本指标 / 满意度指标 can be either level; a level-2 word right where a level-1
            // is expected (no level-1 yet) is taken as level 1.
            if level1.is_none() && vocab::is_level1(&t) {
                level1 = Some(t);
            } else {
                level2 = Some(t);
            }
            k += 1;
            continue;
        }
        if vocab::is_level1(&t) {
            flush_dev(&mut pending, last_closed, &mut out, &mut unplaced);
            last_closed = None;
            level1 = Some(t);
            level1_weight = None;
            level2 = None;
            k += 1;
            continue;
        }
        // A closing pair: weight and score, the score last on its line.
        if k + 1 < items.len() && is_plain(&f.text) && is_plain(&items[k + 1].text) && items[k + 1].line_end && !pending.is_empty() {
            let weight: Option<Decimal> = f.text.trim().parse().ok();
            let score: Option<Decimal> = items[k + 1].text.trim().parse().ok();
            let idx = out.len();
            out.push(Indicator {
                level1: level1.clone(),
                level1_weight,
                level2: level2.clone(),
                name: String::new(),
                target: None,
                actual: None,
                weight,
                score,
                deviation: None,
                extra: Default::default(),
                core: None,
            });
            rows_frags.push((std::mem::take(&mut pending), last_closed, idx));
            last_closed = Some(idx);
            k += 2;
            continue;
        }
        pending.push(f.clone());
        k += 1;
    }
    // Leftovers after the last row: that row's deviation note.
    flush_dev(&mut pending, last_closed, &mut out, &mut unplaced);

    // Split each row's text cells.
    let solver = indicator_partition::Solver::learn(&rows_frags.iter().map(|(f, _, _)| f.as_slice()).collect::<Vec<_>>(), marked, em);
    for (frags, prev, idx) in &rows_frags {
        let (dev, cells3, note) = if marked {
            deviation_split::split_marked(frags, prev.is_some())
        } else {
            solver.split(frags, prev.is_some())
        };
        if let (Some(p), Some(d)) = (prev, dev) {
            let cur = out[*p].deviation.take().unwrap_or_default();
            out[*p].deviation = Some(crate::heuristics::wrapped_join::join_text(&cur, &d));
        }
        let ind = &mut out[*idx];
        ind.name = cells3.first().cloned().flatten().unwrap_or_default();
        ind.target = cells3.get(1).cloned().flatten().and_then(|t| cell::parse(&t));
        ind.actual = cells3.get(2).cloned().flatten().and_then(|t| cell::parse(&t));
        if let Some(note) = note {
            diags.push(Diagnostic::info("wrapped_cell_joined", format!("indicator “{}”: {note}", ind.name), frags.first().map(|f| f.position())));
        }
    }
    (out, unplaced)
}

fn flush_dev(pending: &mut Vec<Frag>, last_closed: Option<usize>, out: &mut [Indicator], unplaced: &mut Vec<Frag>) {
    if pending.is_empty() {
        return;
    }
    match last_closed {
        Some(p) => {
            let mut s = out[p].deviation.take().unwrap_or_default();
            for f in pending.iter() {
                s = crate::heuristics::wrapped_join::join_text(&s, &f.text);
            }
            out[p].deviation = Some(s);
        }
        None => unplaced.extend(pending.iter().cloned()),
    }
    pending.clear();
}

/// A plain number (weight or score): digits with an optional decimal part, nothing else.
pub fn is_plain(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.matches('.').count() <= 1
        && s.parse::<Decimal>().is_ok_and(|d| d <= Decimal::from(100))
}

/// 总分 with its weight and score.
pub fn parse_total(cells: &[Frag]) -> (Option<Total>, Vec<Frag>) {
    let mut i = if cells.first().is_some_and(|c| c.text == "总") { 2 } else { 1 };
    let mut nums: Vec<Decimal> = Vec::new();
    while i < cells.len() && nums.len() < 2 {
        match arith::amount(&cells[i].text) {
            Some(d) => nums.push(d),
            None => break,
        }
        i += 1;
    }
    let rest = cells.get(i..).map(|s| s.to_vec()).unwrap_or_default();
    let total = match nums.as_slice() {
        [w, s] => Some(Total { weight: Some(*w), score: Some(*s), grade: None }),
        [s] => Some(Total { weight: None, score: Some(*s), grade: None }),
        _ => None,
    };
    (total, rest)
}
