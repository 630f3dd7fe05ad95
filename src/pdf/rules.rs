//! Ruling lines: merge the pieces producers draw (one per cell edge) into whole lines.
//!
//! Horizontal rules on the same y (within 0.5 pt) whose x ranges touch or overlap (gap
//! ≤ 1 pt) become one; likewise vertical rules on the same x. Hand-written: a few lines of
//! sorting, no crate needed.

use crate::token::Rule;

const SAME: f32 = 0.5;
const GAP: f32 = 1.0;

/// Merge collinear touching pieces, page by page. Output: horizontal rules (sorted by page,
/// y descending, x) then vertical ones (by page, x, y descending).
pub fn merge(rules: Vec<Rule>) -> Vec<Rule> {
    let (mut h, mut v): (Vec<Rule>, Vec<Rule>) =
        rules.into_iter().partition(|r| (r.y0 - r.y1).abs() <= (r.x0 - r.x1).abs());
    // Horizontal: key (page, y), span x.
    h.sort_by(|a, b| a.page.cmp(&b.page).then(b.y0.total_cmp(&a.y0)).then(a.x0.total_cmp(&b.x0)));
    let h = merge_sorted(h, |r| r.y0, |r| (r.x0, r.x1), |r, lo, hi| Rule { x0: lo, x1: hi, ..r });
    v.sort_by(|a, b| a.page.cmp(&b.page).then(a.x0.total_cmp(&b.x0)).then(a.y0.total_cmp(&b.y0)));
    let v = merge_sorted(v, |r| r.x0, |r| (r.y0, r.y1), |r, lo, hi| Rule { y0: lo, y1: hi, ..r });
    let mut out = h;
    out.extend(v);
    out
}

/// `rules` sorted so that pieces of one line are adjacent groups by (page, key); within a
/// group, pieces sorted by span start after regrouping.
fn merge_sorted(
    rules: Vec<Rule>,
    key: impl Fn(&Rule) -> f32,
    span: impl Fn(&Rule) -> (f32, f32),
    make: impl Fn(Rule, f32, f32) -> Rule,
) -> Vec<Rule> {
    let mut out = Vec::with_capacity(rules.len());
    let mut i = 0;
    while i < rules.len() {
        // One group: same page, key within SAME of the group's first.
        let first = rules[i];
        let mut j = i;
        while j < rules.len() && rules[j].page == first.page && (key(&rules[j]) - key(&first)).abs() <= SAME {
            j += 1;
        }
        let mut group: Vec<Rule> = rules[i..j].to_vec();
        group.sort_by(|a, b| span(a).0.total_cmp(&span(b).0));
        let mut cur: Option<(Rule, f32, f32)> = None;
        for r in group {
            let (lo, hi) = span(&r);
            cur = match cur {
                Some((c, clo, chi)) if lo <= chi + GAP => Some((c, clo, chi.max(hi))),
                Some((c, clo, chi)) => {
                    out.push(make(c, clo, chi));
                    Some((r, lo, hi))
                }
                None => Some((r, lo, hi)),
            };
        }
        if let Some((c, lo, hi)) = cur {
            out.push(make(c, lo, hi));
        }
        i = j.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(page: u32, x0: f32, y0: f32, x1: f32, y1: f32) -> Rule {
        Rule { page, x0, y0, x1, y1 }
    }

    #[test]
    fn merges_touching_pieces() {
        let m = merge(vec![
            r(1, 0.0, 10.0, 50.0, 10.0),
            r(1, 50.5, 10.2, 90.0, 10.2),
            r(1, 120.0, 10.0, 130.0, 10.0),
            r(2, 0.0, 10.0, 50.0, 10.0),
            r(1, 5.0, 0.0, 5.0, 20.0),
            r(1, 5.1, 20.0, 5.1, 40.0),
        ]);
        assert_eq!(m.len(), 4, "{m:?}");
        assert_eq!(m[0], r(1, 0.0, 10.0, 90.0, 10.0));
        assert_eq!(m[1], r(1, 120.0, 10.0, 130.0, 10.0));
        assert_eq!(m[2], r(2, 0.0, 10.0, 50.0, 10.0));
        assert_eq!(m[3], r(1, 5.0, 0.0, 5.0, 40.0));
    }
}
