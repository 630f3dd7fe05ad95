//! Heuristic `vertical_label_joined`: labels printed one character (or a few) per line —
//! vertical merged cells such as 绩/效/指/标, or narrow label cells such as 满意度指/标/（10分）
//! — are joined back into one fragment when the pieces, read in order, spell a known label.
//!
//! The known labels are the national templates' structure words (passed in by each
//! grammar), never a document's content. Each piece after the first must start a line of
//! its own, as the pieces of a vertical label do; the longest match wins.

use crate::grammar::frag::Frag;
use crate::heuristics::wrapped_join::join_into;

/// Join runs of up to `max_parts` fragments whose concatenation satisfies `known`.
/// Returns the new fragments and the joined labels (text, source line) for diagnostics.
pub fn merge_known(frags: Vec<Frag>, known: &dyn Fn(&str) -> bool, max_parts: usize) -> (Vec<Frag>, Vec<(String, usize)>) {
    let mut out = Vec::with_capacity(frags.len());
    let mut joined = Vec::new();
    let mut i = 0;
    while i < frags.len() {
        let mut best = 0;
        let mut cat = frags[i].text.clone();
        for k in 1..max_parts.min(frags.len() - i) {
            let f = &frags[i + k];
            if !f.line_start {
                break;
            }
            cat.push_str(&f.text);
            if cat.chars().count() > 24 {
                break;
            }
            if known(&cat) {
                best = k;
            }
        }
        if best > 0 {
            let mut f = frags[i].clone();
            for g in &frags[i + 1..=i + best] {
                join_into(&mut f, g.clone());
            }
            joined.push((f.text.clone(), f.number));
            out.push(f);
            i += best + 1;
        } else {
            out.push(frags[i].clone());
            i += 1;
        }
    }
    (out, joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::frag::fragments;
    use crate::text_reader;

    fn run(s: &str, words: &[&str]) -> Vec<String> {
        let f = fragments(&text_reader::read(s.as_bytes()).lines);
        let known = |c: &str| words.contains(&c);
        merge_known(f, &known, 12).0.into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn one_character_per_line() {
        assert_eq!(run("绩\n\n效\n\n指\n\n标\n\n一级指标 二级指标", &["绩效指标"]), ["绩效指标", "一级指标", "二级指标"]);
    }

    #[test]
    fn narrow_label_with_weight() {
        assert_eq!(run("满意度指\n标\n\n（30分）\n\n服务对象", &["满意度指标（30分）", "满意度指标"]), ["满意度指标（30分）", "服务对象"]);
    }

    #[test]
    fn pieces_on_one_line_are_not_joined() {
        assert_eq!(run("绩 效指标", &["绩效指标"]), ["绩", "效指标"]);
    }

    #[test]
    fn unknown_text_is_left_alone() {
        assert_eq!(run("就业\n人数", &["绩效指标"]), ["就业", "人数"]);
    }
}
