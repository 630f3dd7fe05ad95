//! Text accounting: nothing of the input may vanish silently.
//!
//! After an annex is built, every input token of its span is looked up in the annex's
//! output (every string it holds, numbers as printed). A token found there is accounted
//! for. A token that is not is either structure the grammar consumed — a printed label
//! such as `项目支出名称`, `填表人:`, `（50分）`, `单位：万元` — reported together in one
//! `structure_text` info diagnostic so that the printed words stay on record, or text no
//! part of the annex holds, reported as `unplaced_text` with its position.

use crate::grammar::vocab;
use crate::model::{Annex, Diagnostic, Position};
use crate::token::Line;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日$").unwrap());

/// Words that the grammars consume as structure (beyond [`vocab::is_structure_word`]).
const LABEL_WORDS: &[&str] = &[
    "填表人", "填报日期", "联系电话", "单位负责人签字", "单位负责人", "负责人签字", "签字", "填报单位", "实施单位",
    "主管部门", "项目支出名称", "项目名称", "省级预算部门名称", "部门名称", "单位", "金额单位", "按收入性质分", "按支出性质分",
    "其中", "总分", "合计", "年度", "分", "万元", "亿元", "元", "项目", "绩效指标", "年度总体目标", "预期目标", "实际完成情况",
    "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "指标值", "完成值", "分值", "得分", "偏差原因分析及改进措施",
    "偏差原因", "分析及", "改进措施", "措施", "实际", "说明", "注", "项", "目", "科目", "功能科目", "经济科目",
];

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every string (and every number as printed) the annex holds, without whitespace.
fn output_text(annex: &Annex) -> String {
    fn walk(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::String(s) => out.push_str(&squash(s)),
            serde_json::Value::Number(n) => out.push_str(&n.to_string()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(m) => {
                // Diagnostics only quote text; only text they carry for good (unplaced
                // cells) counts. Checks hold computed numbers, not printed ones.
                if m.get("code").and_then(|c| c.as_str()).is_some_and(|c| c != "unplaced_text") && m.contains_key("message") {
                    return;
                }
                for (k, x) in m {
                    if k == "checks" {
                        continue;
                    }
                    out.push_str(k);
                    walk(x, out);
                }
            }
            _ => {}
        }
        out.push('\u{1}');
    }
    let mut out = String::new();
    if let Ok(v) = serde_json::to_value(annex) {
        walk(&v, &mut out);
    }
    out
}

/// Is `t` nothing but structure words, digits of a weight, and punctuation?
fn is_structure(t: &str) -> bool {
    if vocab::is_structure_word(t) || vocab::is_indicator_header(t) {
        return true;
    }
    // A piece of a structure word printed over several lines (`一级指` / `标`).
    let words = LABEL_WORDS
        .iter()
        .chain(vocab::SECTION)
        .chain(vocab::INDICATOR_HEADER)
        .chain(vocab::LEVEL1)
        .chain(vocab::LEVEL2)
        .chain(vocab::FIELDS.iter().map(|(w, _)| w));
    if words.clone().any(|w| w.contains(t)) {
        return true;
    }
    let mut rest = t.to_string();
    let mut words: Vec<&str> = LABEL_WORDS.to_vec();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    for w in words {
        rest = rest.replace(w, "");
    }
    rest.chars().all(|c| {
        c.is_ascii_punctuation()
            || "：；，、。（）【】《》“”‘’".contains(c)
            || c.is_ascii_digit()
            || c == '\u{3000}'
    }) && rest.chars().filter(|c| c.is_ascii_digit()).count() <= 4
}

/// Account for every token of `lines` (the annex's span) against the annex's output.
///
/// Accounting is by character counts, so that a character printed twice must be found
/// twice: tokens are matched against the output's characters longest first; a token whose
/// characters are no longer all available (a vertical label's `绩`, a row's `1、`, a
/// repeated page header) is reported — as structure when it is a known label, a row
/// prefix, a dash or the sign-off's date, else as unplaced text.
pub fn account(annex: &mut Annex, lines: &[Line]) {
    let out = output_text(annex);
    let mut avail: HashMap<char, usize> = HashMap::new();
    for c in out.chars() {
        *avail.entry(c).or_default() += 1;
    }
    let tokens: Vec<(String, Position)> = lines
        .iter()
        .flat_map(|l| l.tokens.iter().map(move |t| (squash(&t.text), Position { page: l.page, line: Some(l.number) })))
        .filter(|(s, _)| !s.is_empty())
        .collect();
    // Which tokens occur in the output at all: one Aho–Corasick pass over the output for
    // all of them (a `contains` per token grows with tokens × output in long annexes). A
    // contiguous NFA: the automaton is built once per annex, so its build time counts.
    let occurs: Vec<bool> = {
        // Distinct needles only: a repeated token would be reported once per copy at every
        // place it occurs (quadratic on repetitive input).
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut needles: Vec<&str> = Vec::new();
        let ids: Vec<usize> = tokens
            .iter()
            .map(|(s, _)| {
                *index.entry(s.as_str()).or_insert_with(|| {
                    needles.push(s.as_str());
                    needles.len() - 1
                })
            })
            .collect();
        let seen: Vec<bool> = match aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&needles)
        {
            Ok(ac) => {
                let mut seen = vec![false; needles.len()];
                for m in ac.find_overlapping_iter(&out) {
                    seen[m.pattern().as_usize()] = true;
                }
                seen
            }
            Err(_) => needles.iter().map(|n| out.contains(n)).collect(),
        };
        ids.iter().map(|&i| seen[i]).collect()
    };
    let mut order: Vec<usize> = (0..tokens.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(tokens[i].0.chars().count()));
    let mut matched = vec![false; tokens.len()];
    for i in order {
        let s = &tokens[i].0;
        if !occurs[i] {
            continue;
        }
        let mut need: HashMap<char, usize> = HashMap::new();
        for c in s.chars() {
            *need.entry(c).or_default() += 1;
        }
        if need.iter().all(|(c, n)| avail.get(c).copied().unwrap_or(0) >= *n) {
            for (c, n) in need {
                if let Some(a) = avail.get_mut(&c) {
                    *a -= n;
                }
            }
            matched[i] = true;
        }
    }
    let found = |p: &str| -> bool {
        let p = p.trim_end_matches(['：', ':']);
        if p.is_empty() || out.contains(p) {
            return true;
        }
        // A row label is kept without its numbering and 其中 (they are in `code` / `level`).
        let (code, label, qz) = crate::grammar::rows::split_code(p);
        if (code.is_some() || qz) && (label.is_empty() || out.contains(&squash(&label))) {
            return true;
        }
        // A printed dash is an empty cell (null); a printed date is the sign-off's ISO date.
        if crate::cell::is_blank(p) {
            return true;
        }
        if let Some(m) = DATE.captures(p) {
            let iso = format!("{}-{:02}-{:02}", &m[1], m[2].parse::<u32>().unwrap_or(0), m[3].parse::<u32>().unwrap_or(0));
            return out.contains(&iso);
        }
        false
    };
    let mut structure: Vec<String> = Vec::new();
    let mut lost: Vec<(String, Position)> = Vec::new();
    for (i, (s, pos)) in tokens.into_iter().enumerate() {
        if matched[i] {
            continue;
        }
        let pieces: Vec<&str> = s.split(['：', ':']).filter(|p| !p.is_empty()).collect();
        let known = found(&s) || is_structure(&s) || pieces.len() > 1 && pieces.iter().all(|p| found(p) || is_structure(p));
        if known {
            structure.push(s);
        } else {
            lost.push((s, pos));
        }
    }
    if !structure.is_empty() {
        annex.diagnostics.push(Diagnostic::info(
            "structure_text",
            format!("printed text read as the table's structure (labels, row numbering, dashes, repeated headers): {}", structure.join(" ")),
            None,
        ));
    }
    for (s, pos) in lost {
        annex.diagnostics.push(Diagnostic::warning(
            "unplaced_text",
            format!("text not placed in any part of the annex: “{s}”"),
            Some(pos),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_words() {
        assert!(is_structure("填表人:"));
        assert!(is_structure("单位：万元"));
        assert!(is_structure("（50分）"));
        assert!(is_structure("绩效指标"));
        assert!(!is_structure("湖南省人力资源和社会保障厅"));
    }

    #[test]
    fn lost_text_is_reported() {
        let mut a = Annex::empty(Some("1".into()), Some("附件1".into()));
        a.title = Some("2024年度项目支出绩效自评表".into());
        let lines = crate::text_reader::read("2024年度项目支出绩效自评表\n填表人: 无处安放的文字".as_bytes()).lines;
        account(&mut a, &lines);
        let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["structure_text", "unplaced_text"]);
        assert!(a.diagnostics[1].message.contains("无处安放的文字"));
    }
}
