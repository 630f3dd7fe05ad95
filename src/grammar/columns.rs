//! Column headers: printed header text → stable column keys, and the header recognizer
//! that rebuilds header cells split over lines (`年初 全年 全年` / `预算数 预算数 执行数`).

use crate::model::Column;
use regex::Regex;
use std::sync::LazyLock;

static YEAR_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^((?:19|20)\d{2})\s*年(?:度)?").unwrap());

/// The printed header words we know, longest first within a family, with their key.
const KEYS: &[(&str, &str)] = &[
    ("年初预算数", "initial_budget"),
    ("年初预算", "initial_budget"),
    ("全年预算数", "full_year_budget"),
    ("全年预算", "full_year_budget"),
    ("全年执行数", "executed"),
    ("全年执行", "executed"),
    ("调整后预算数", "adjusted_budget"),
    ("调整预算数", "adjusted_budget"),
    ("实际执行数", "executed"),
    ("累计执行数", "executed"),
    ("执行数", "executed"),
    ("预算执行进度", "progress"),
    ("执行进度", "progress"),
    ("执行率", "execution_rate"),
    ("分值", "weight"),
    ("权重", "weight"),
    ("得分", "score"),
    ("决算数", "final"),
    ("预算数", "budget"),
    ("编制数", "authorized"),
    ("实际在职人数", "actual"),
    ("在职人数", "actual"),
    ("控制率", "control_rate"),
    ("金额", "amount"),
];

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The key for one header label, ignoring a leading year; `None` when unknown.
pub fn base_key(label: &str) -> Option<&'static str> {
    let s = squash(label);
    let s = YEAR_PREFIX.replace(&s, "");
    let s = s.trim_start_matches("本年").trim_start_matches("上年");
    // `预算执行进度(%)`: drop a trailing unit in parentheses.
    let core: String = match s.find(['(', '（']) {
        Some(p) if s.ends_with([')', '）']) => s[..p].to_string(),
        Some(_) => return None,
        None => s.to_string(),
    };
    KEYS.iter().find(|(w, _)| core == *w).map(|(_, k)| *k)
}

/// The year printed at the start of a header, if any.
pub fn header_year(label: &str) -> Option<i32> {
    YEAR_PREFIX.captures(&squash(label)).and_then(|m| m[1].parse().ok())
}

/// Build [`Column`]s from printed labels: keys per the schema; dated labels keep their
/// year in the key (`final_2023`) only when the table's dated headers carry different
/// years, and a key that would repeat gets the year too.
pub fn columns(labels: &[String]) -> Vec<Column> {
    let years: Vec<Option<i32>> = labels.iter().map(|l| header_year(l)).collect();
    let distinct: std::collections::BTreeSet<i32> = years.iter().flatten().copied().collect();
    let mixed = distinct.len() > 1;
    let bases: Vec<Option<&str>> = labels.iter().map(|l| base_key(l)).collect();
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let key = bases[i].map(|b| {
                let repeated = bases.iter().filter(|o| **o == Some(b)).count() > 1;
                match years[i] {
                    Some(y) if mixed || repeated => format!("{b}_{y}"),
                    _ => b.to_string(),
                }
            });
            Column { key, label: l.trim().to_string() }
        })
        .collect()
}

static HEADER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:19|20)\d{2}\s*年)?[^\d]*?(?:预算数|执行数|决算数|编制数|在职人数|控制率|执行率|执行进度\s*(?:[（(][%％][）)])?|分值|得分|金额)")
        .unwrap()
});

/// Header recognizer for headers printed a few characters per line (`2024` / `年年` /
/// `初预` / `算数` / …): the pieces joined and cut after each known header word. Returns
/// `None` unless the cuts cover the whole text and every part is a known header.
pub fn split_concatenated(pieces: &[String]) -> Option<Vec<String>> {
    let all: String = pieces.concat();
    let mut out = Vec::new();
    let mut end = 0;
    for m in HEADER_WORD.find_iter(&all) {
        if m.start() != end {
            return None;
        }
        out.push(m.as_str().to_string());
        end = m.end();
    }
    (end == all.len() && !out.is_empty() && out.iter().all(|l| base_key(l).is_some())).then_some(out)
}

/// Is this token a whole known header word (possibly with a year prefix)?
pub fn is_header_word(s: &str) -> bool {
    base_key(s).is_some()
}

/// Prefixes and suffixes of stacked header cells: `年初` over `预算数`.
const STACK_TOP: &[&str] = &["年初", "全年", "调整后", "实际", "累计", "预算", "本年", "上年"];
const STACK_BOTTOM: &[&str] = &["预算数", "执行数", "决算数", "执行进度", "预算", "执行"];

/// Header recognizer: given the tokens of consecutive header lines, rebuild the header
/// labels. Whole words are kept in order; a line of stack tops (`年初 全年 全年`) is zipped
/// with the next line of as many stack bottoms (`预算数 预算数 执行数`), and the zipped
/// labels take the place of the tops.
pub fn rebuild_header(lines: &[Vec<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let tops = !l.is_empty() && l.iter().all(|t| STACK_TOP.contains(&t.as_str()));
        if tops {
            // Find the bottoms line (it may come after a line of whole words).
            let mut j = i + 1;
            let mut between: Vec<String> = Vec::new();
            while j < lines.len() {
                let m = &lines[j];
                if m.len() == l.len() && m.iter().all(|t| STACK_BOTTOM.contains(&t.as_str())) {
                    break;
                }
                between.extend(m.iter().cloned());
                j += 1;
            }
            if j < lines.len() {
                for (a, b) in l.iter().zip(&lines[j]) {
                    out.push(format!("{a}{b}"));
                }
                out.extend(between);
                i = j + 1;
                continue;
            }
        }
        out.extend(l.iter().cloned());
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn funds_keys() {
        let c = columns(&labels(&["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]));
        let k: Vec<_> = c.iter().map(|c| c.key.clone().unwrap()).collect();
        assert_eq!(k, ["initial_budget", "full_year_budget", "executed", "weight", "execution_rate", "score"]);
    }

    #[test]
    fn same_year_is_dropped_mixed_years_kept() {
        let c = columns(&labels(&["2024年年初预算数", "2024年调整后预算数", "2024年实际执行数", "预算执行进度(%)"]));
        let k: Vec<_> = c.iter().map(|c| c.key.clone().unwrap()).collect();
        assert_eq!(k, ["initial_budget", "adjusted_budget", "executed", "progress"]);
        let c = columns(&labels(&["2023年决算数", "2024年预算数", "2024年决算数"]));
        let k: Vec<_> = c.iter().map(|c| c.key.clone().unwrap()).collect();
        assert_eq!(k, ["final_2023", "budget_2024", "final_2024"]);
        let c = columns(&labels(&["编制数", "2024年实际在职人数", "控制率"]));
        let k: Vec<_> = c.iter().map(|c| c.key.clone().unwrap()).collect();
        assert_eq!(k, ["authorized", "actual", "control_rate"]);
    }

    #[test]
    fn a_unit_in_parentheses_must_close_the_header() {
        assert_eq!(base_key("预算执行进度(%)"), Some("progress"));
        assert_eq!(base_key("预算执行进度(%)一、期初余额"), None);
    }

    #[test]
    fn unknown_header_has_null_key() {
        let c = columns(&labels(&["批复规模（㎡）"]));
        assert_eq!(c[0].key, None);
        assert_eq!(c[0].label, "批复规模（㎡）");
    }

    #[test]
    fn header_printed_in_pieces() {
        let p = labels(&["2024", "年年", "初预", "算数", "202", "4年", "调整", "后预", "算数", "202", "4年", "实", "际", "执", "行", "数", "预", "算", "执", "行", "进", "度", "(%)"]);
        assert_eq!(
            split_concatenated(&p).unwrap(),
            ["2024年年初预算数", "2024年调整后预算数", "2024年实际执行数", "预算执行进度(%)"]
        );
        assert!(split_concatenated(&labels(&["随便", "什么"])).is_none());
    }

    #[test]
    fn stacked_header_is_zipped() {
        let h = rebuild_header(&[
            labels(&["年初", "全年", "全年"]),
            labels(&["分值", "执行率", "得分"]),
            labels(&["预算数", "预算数", "执行数"]),
        ]);
        assert_eq!(h, ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]);
    }
}
