//! Heuristic `number_rejoined`: numbers printed in a column too narrow for them wrap over
//! several lines (`1,9` / `92.` / `23`), and a dump without block marks prints each piece
//! on a line of its own. Consecutive one-piece lines are regrouped into whole numbers.
//!
//! Every way of cutting the pieces into groups is considered, for each number of decimals
//! `d` from 0 to 3 in turn; each group must read as one well-formed number (thousands
//! groups of three, at most one decimal point, `%` only at the end). A group whose decimals
//! differ from `d` costs 1, a group ending in a bare `.` is impossible, and every group
//! costs 0.1 (fewer, longer numbers win ties). Joining two pieces that would each be a
//! whole number with `d` decimals costs 1.5, so `3.00` / `3.00` stay apart; so does a group
//! whose pieces could not come from one column (all pieces but the last of nearly the same
//! length, the last no longer). When the
//! caller knows how many numbers the pieces hold (`want`), only groupings of that size
//! count.

use regex::Regex;
use std::sync::LazyLock;

static WELL_FORMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-−－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[%％]?$").unwrap()
});
static PIECE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[-−－]?[\d,.]*\d[\d,.]*[%％]?$|^[%％]$|^\.\d+[%％]?$").unwrap());

/// Can this text be a piece of a wrapped number?
pub fn is_piece(s: &str) -> bool {
    PIECE.is_match(s.trim())
}

fn decimals(s: &str) -> usize {
    let s = s.trim_end_matches(['%', '％']);
    s.find('.').map(|p| s.len() - p - 1).unwrap_or(0)
}

fn well_formed(s: &str) -> bool {
    WELL_FORMED.is_match(s)
}

/// Regroup `pieces` (each printed on a line of its own) into numbers. Returns the groups
/// as index ranges into `pieces`, or `None` when no grouping reads as numbers.
pub fn regroup(pieces: &[&str], want: Option<usize>) -> Option<Vec<std::ops::Range<usize>>> {
    let n = pieces.len();
    if n == 0 || n > 40 {
        return None;
    }
    let mut best: Option<(f32, Vec<std::ops::Range<usize>>)> = None;
    for d in 0..=3usize {
        // dp[i][k] = best cost of cutting pieces[..i] into k groups, with back-pointers.
        let kmax = want.unwrap_or(n);
        let inf = f32::INFINITY;
        let mut dp = vec![vec![inf; kmax + 1]; n + 1];
        let mut back = vec![vec![usize::MAX; kmax + 1]; n + 1];
        dp[0][0] = 0.0;
        for i in 1..=n {
            for j in (0..i).rev() {
                let text: String = pieces[j..i].concat();
                if !well_formed(&text) {
                    if i - j > 6 {
                        break;
                    }
                    continue;
                }
                let mut c = 0.1 + if decimals(&text) == d { 0.0 } else { 1.0 };
                // The pieces of one wrapped number fill the same column: all but the last
                // have (nearly) the same length, and the last is no longer.
                if i - j > 1 {
                    let lens: Vec<usize> = pieces[j..i].iter().map(|p| p.chars().count()).collect();
                    let head = &lens[..lens.len() - 1];
                    let (lo, hi) = (head.iter().min().copied().unwrap_or(0), head.iter().max().copied().unwrap_or(0));
                    if hi - lo > 1 || lens[lens.len() - 1] > hi + 1 {
                        c += 1.5;
                    }
                }
                // Joining pieces that are each whole numbers of the chosen form.
                if i - j > 1 && pieces[j..i].iter().all(|p| well_formed(p) && decimals(p) == d) {
                    c += 1.5;
                }
                for k in 1..=kmax {
                    if dp[j][k - 1] + c < dp[i][k] {
                        dp[i][k] = dp[j][k - 1] + c;
                        back[i][k] = j;
                    }
                }
            }
        }
        let ks: Vec<usize> = match want {
            Some(w) => vec![w],
            None => (1..=n).collect(),
        };
        for k in ks {
            if k > kmax || !dp[n][k].is_finite() {
                continue;
            }
            let cost = dp[n][k];
            if best.as_ref().is_none_or(|(b, _)| cost < *b - 1e-6) {
                let mut groups = Vec::with_capacity(k);
                let (mut i, mut kk) = (n, k);
                while i > 0 {
                    let j = back[i][kk];
                    groups.push(j..i);
                    i = j;
                    kk -= 1;
                }
                groups.reverse();
                best = Some((cost, groups));
            }
        }
    }
    best.map(|(_, g)| g)
}

/// Convenience: the regrouped numbers as strings.
pub fn rejoin(pieces: &[&str], want: Option<usize>) -> Option<Vec<String>> {
    regroup(pieces, want).map(|g| g.into_iter().map(|r| pieces[r].concat()).collect())
}

/// Regroup every run of one-piece lines in `frags` (a dump without block marks). The last
/// token of the line before a run joins the run when it cannot stand as a number alone
/// (`10.`, `1,99`). Returns the new fragments and one note per rejoined number.
pub fn merge_runs(frags: Vec<crate::grammar::frag::Frag>) -> (Vec<crate::grammar::frag::Frag>, Vec<(String, crate::model::Position)>) {
    use crate::heuristics::wrapped_join::join_into;
    let alone = |f: &crate::grammar::frag::Frag| f.line_start && f.line_end && is_piece(&f.text);
    let mut out = Vec::with_capacity(frags.len());
    let mut notes = Vec::new();
    let mut i = 0;
    while i < frags.len() {
        let mut start = i;
        let mut j = i;
        while j < frags.len() && alone(&frags[j]) {
            j += 1;
        }
        if j == i {
            // Not a run start; but a dangling piece at a line end may open one.
            let f = &frags[i];
            if f.line_end && !f.line_start && is_piece(&f.text) && !well_formed(&f.text) && i + 1 < frags.len() && alone(&frags[i + 1]) {
                start = i;
                j = i + 1;
                while j < frags.len() && alone(&frags[j]) {
                    j += 1;
                }
            } else {
                out.push(frags[i].clone());
                i += 1;
                continue;
            }
        }
        let pieces: Vec<&str> = frags[start..j].iter().map(|f| f.text.as_str()).collect();
        match regroup(&pieces, None) {
            Some(groups) if groups.len() < pieces.len() => {
                for g in groups {
                    let mut f = frags[start + g.start].clone();
                    for k in g.start + 1..g.end {
                        let mut next = frags[start + k].clone();
                        next.text = next.text.trim().to_string();
                        let text = format!("{}{}", f.text, next.text);
                        join_into(&mut f, next);
                        f.text = text;
                    }
                    if g.len() > 1 {
                        notes.push((
                            format!("“{}” rejoined from {} pieces on consecutive lines ({})", f.text, g.len(), pieces[g.clone()].join(" / ")),
                            f.position(),
                        ));
                    }
                    out.push(f);
                }
            }
            _ => out.extend(frags[start..j].iter().cloned()),
        }
        i = j;
    }
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_amounts_and_percentages() {
        let p = ["1,992", ".23", "1,99", "2.23", "1,9", "92.", "23", "10", "0.0", "0%"];
        assert_eq!(rejoin(&p, Some(4)).unwrap(), ["1,992.23", "1,992.23", "1,992.23", "100.00%"]);
        assert_eq!(rejoin(&p, None).unwrap(), ["1,992.23", "1,992.23", "1,992.23", "100.00%"]);
    }

    #[test]
    fn weights_and_scores() {
        assert_eq!(rejoin(&["4.", "0", "0", "4.0", "0"], Some(2)).unwrap(), ["4.00", "4.00"]);
        assert_eq!(rejoin(&["3.0", "0", "3.00"], None).unwrap(), ["3.00", "3.00"]);
        assert_eq!(rejoin(&["5.", "0", "0", "4.3", "4"], None).unwrap(), ["5.00", "4.34"]);
        assert_eq!(rejoin(&["10.0", "0", "91.6", "3%", "9.16"], None).unwrap(), ["10.00", "91.63%", "9.16"]);
    }

    #[test]
    fn whole_numbers_stay_apart() {
        assert_eq!(rejoin(&["3.00", "3.00"], None).unwrap(), ["3.00", "3.00"]);
        assert_eq!(rejoin(&["10", "10"], None).unwrap(), ["10", "10"]);
    }

    #[test]
    fn runs_in_a_dump() {
        let l = crate::text_reader::read("名称 100% 100%\n4.\n0\n0\n4.0\n0\n下一行 1,915.08 1937.27\n1\n0\n99.\n72%\n9.97\n其中".as_bytes()).lines;
        let (f, notes) = merge_runs(crate::grammar::frag::fragments(&l));
        let t: Vec<&str> = f.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(t, ["名称", "100%", "100%", "4.00", "4.00", "下一行", "1,915.08", "1937.27", "10", "99.72%", "9.97", "其中"]);
        assert_eq!(notes.len(), 4);
    }

    #[test]
    fn not_numbers() {
        assert!(rejoin(&["1,99"], Some(1)).is_none());
        assert!(is_piece("92."));
        assert!(is_piece(".23"));
        assert!(is_piece("0%"));
        assert!(!is_piece("≥4000"));
        assert!(!is_piece("万人"));
    }
}
