//! The sign-off line (填表人 / 填报日期 / 联系电话 / 单位负责人签字) and the notes
//! (说明： / 注：) printed under a table.

use crate::model::Signoff;
use crate::token::Line;
use regex::Regex;
use std::sync::LazyLock;

static PREPARER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"填表人(?:签字)?\s*[:：]\s*([^\s:：]*?)\s*(?:填报日期|联系电话|单位负责人|负责人|$)").unwrap());
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:填报|填表)日期\s*[:：]\s*((?:19|20)\d{2})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?").unwrap()
});
static DATE_RAW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:填报|填表)日期\s*[:：]\s*([^\s]*?)\s*(?:联系电话|单位负责人|负责人|$)").unwrap());
static PHONE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"联系电话\s*[:：]\s*([0-9０-９\-－—()（）]*)").unwrap());
static HEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:单位)?负责人(?:签字|签章|签名)?\s*[:：]\s*([^\s:：]*?)\s*(?:填表人|填报日期|联系电话|$)").unwrap());

/// Is this line (compact text) part of a sign-off?
pub fn is_signoff_line(c: &str) -> bool {
    c.contains("填表人") || c.contains("填报日期") || c.contains("联系电话") || c.contains("负责人签字")
}

/// Is this line (compact text) the start of a note?
pub fn is_note_start(c: &str) -> bool {
    ["说明：", "说明:", "注：", "注:", "备注：", "备注:"].iter().any(|p| c.starts_with(p))
}

fn none_if_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Read a sign-off from its lines' text (lines joined with a space).
pub fn parse(text: &str) -> Option<Signoff> {
    if !is_signoff_line(text) {
        return None;
    }
    let preparer = PREPARER.captures(text).and_then(|m| none_if_empty(&m[1]));
    let date = match DATE.captures(text) {
        Some(m) => {
            let (y, mo, d) = (&m[1], m[2].parse::<u32>().unwrap_or(0), m[3].parse::<u32>().unwrap_or(0));
            Some(format!("{y}-{mo:02}-{d:02}"))
        }
        None => DATE_RAW.captures(text).and_then(|m| none_if_empty(&m[1])),
    };
    let phone = PHONE.captures(text).and_then(|m| none_if_empty(&m[1]));
    let head = HEAD.captures(text).and_then(|m| none_if_empty(&m[1]));
    Some(Signoff { preparer, date, phone, head })
}

/// Find the sign-off and notes among `lines`: returns the sign-off, the notes, and the
/// indices of the lines they used.
pub fn take(lines: &[Line]) -> (Option<Signoff>, Vec<String>, Vec<usize>) {
    let mut used = Vec::new();
    let mut text = String::new();
    for (i, l) in lines.iter().enumerate() {
        let c = l.compact();
        if is_signoff_line(&c) {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&l.text());
            used.push(i);
        }
    }
    let signoff = parse(&text);
    let mut notes = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let c = lines[i].compact();
        if is_note_start(&c) && !used.contains(&i) {
            let mut note = lines[i].text();
            used.push(i);
            // A note runs on over the following non-blank lines until a sign-off.
            let mut j = i + 1;
            while j < lines.len() && !lines[j].is_blank() && !is_signoff_line(&lines[j].compact()) && !is_note_start(&lines[j].compact()) {
                note = crate::heuristics::wrapped_join::join_text(&note, &lines[j].text());
                used.push(j);
                j += 1;
            }
            notes.push(note);
            i = j;
            continue;
        }
        i += 1;
    }
    (signoff, notes, used)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_signoff() {
        let s = parse("填表人:谢剑都           填报日期：2025年4月18日      联系电话：84900024    单位负责人签字：李永军").unwrap();
        assert_eq!(s.preparer.as_deref(), Some("谢剑都"));
        assert_eq!(s.date.as_deref(), Some("2025-04-18"));
        assert_eq!(s.phone.as_deref(), Some("84900024"));
        assert_eq!(s.head.as_deref(), Some("李永军"));
    }

    #[test]
    fn empty_fields_are_null() {
        let s = parse("填表人: 填报日期： 联系电话： 单位负责人签字：").unwrap();
        assert_eq!(s, Signoff::default());
    }

    #[test]
    fn not_a_signoff() {
        assert!(parse("年度资金总额").is_none());
    }
}
