//! Heuristic `column_assigned_by_arithmetic`: which columns a row's lone numbers belong
//! to, when the row prints fewer numbers than the table has columns.
//!
//! The numbers keep their printed order. Among the order-preserving placements into the
//! candidate columns, the one that best fits the table's own arithmetic wins:
//! * a child row's value should equal what its parent still lacks in that column
//!   (parent − siblings already placed): +3 when it does to the printed precision;
//! * a value larger than what the parent still lacks (beyond tolerance) is impossible for
//!   non-negative amounts: −5;
//! * a printed rate should equal executed / budget for the placement: +2.
//!
//! Ties go to the placement that leaves the leftmost columns empty (a row missing one
//! value is most often missing the first, e.g. no initial budget for carried-over funds).

use rust_decimal::Decimal;

/// Parse a plain printed amount: `1,581.02`, `-100.72`, `0.001`. Not percentages.
pub fn amount(s: &str) -> Option<Decimal> {
    let t: String = s.trim().chars().filter(|c| *c != ',' && *c != '，').collect();
    let t = t.replace(['−', '－'], "-");
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
        return None;
    }
    if !t.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse::<Decimal>().ok()
}

/// Half a unit of the last printed digit of `d`.
pub fn half_ulp(d: Decimal) -> Decimal {
    Decimal::new(5, d.scale() + 1)
}

/// What we know about the row being placed.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Per column: what the parent still lacks (parent − siblings placed before), if known.
    pub remaining: Vec<Option<Decimal>>,
    /// A (budget column, executed column, printed rate in percent) relation to test.
    pub rate: Option<(usize, usize, Decimal)>,
}

/// A chosen placement: `placement[i]` is the column of `values[i]`; plus whether
/// arithmetic (rather than the tie rule) decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub columns: Vec<usize>,
    pub by_arithmetic: bool,
}

fn score(values: &[Decimal], cols: &[usize], ctx: &Context) -> i32 {
    let mut s = 0;
    for (v, &c) in values.iter().zip(cols) {
        if let Some(Some(rem)) = ctx.remaining.get(c) {
            let tol = half_ulp(*v) + half_ulp(*rem);
            if (*v - *rem).abs() <= tol {
                s += 3;
            } else if *v > *rem + tol && *v > Decimal::ZERO {
                s -= 5;
            }
        }
    }
    if let Some((b, e, rate)) = ctx.rate {
        let get = |c: usize| cols.iter().position(|&x| x == c).map(|i| values[i]);
        if let (Some(bv), Some(ev)) = (get(b), get(e)) {
            if !bv.is_zero() {
                let computed = ev / bv * Decimal::from(100);
                let tol = half_ulp(rate) + Decimal::new(1, 1);
                if (computed - rate).abs() <= tol {
                    s += 2;
                }
            }
        }
    }
    s
}

/// Place `values` (in printed order) into `candidates` (column indices, ascending).
/// Returns `None` when there are more values than candidates.
pub fn place(values: &[Decimal], candidates: &[usize], ctx: &Context) -> Option<Placement> {
    let m = values.len();
    let k = candidates.len();
    if m > k {
        return None;
    }
    if m == k {
        return Some(Placement { columns: candidates.to_vec(), by_arithmetic: false });
    }
    // Enumerate order-preserving injections (k choose m is tiny for real tables),
    // rightmost placements first so that they win ties.
    let mut combos: Vec<Vec<usize>> = Vec::new();
    fn rec(start: usize, k: usize, m: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if out.len() > 4096 {
            return;
        }
        if cur.len() == m {
            out.push(cur.clone());
            return;
        }
        for i in start..k {
            if k - i < m - cur.len() {
                break;
            }
            cur.push(i);
            rec(i + 1, k, m, cur, out);
            cur.pop();
        }
    }
    rec(0, k, m, &mut Vec::new(), &mut combos);
    combos.reverse();
    let mut best: Option<(i32, Vec<usize>)> = None;
    let mut scores = Vec::new();
    for idx in combos {
        let cols: Vec<usize> = idx.iter().map(|&i| candidates[i]).collect();
        let s = score(values, &cols, ctx);
        scores.push(s);
        if best.as_ref().is_none_or(|(b, _)| s > *b) {
            best = Some((s, cols));
        }
    }
    let (bs, cols) = best?;
    let distinct = scores.iter().filter(|&&s| s == bs).count() == 1;
    let by_arithmetic = bs != 0 && distinct;
    Some(Placement { columns: cols, by_arithmetic })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn amounts() {
        assert_eq!(amount("1,581.02"), Some(d("1581.02")));
        assert_eq!(amount("-100.72"), Some(d("-100.72")));
        assert_eq!(amount("98.32%"), None);
        assert_eq!(amount("——"), None);
        assert_eq!(amount("-"), None);
    }

    #[test]
    fn lone_number_goes_where_the_parent_lacks_it() {
        // 附件1: 2,291.87 + 95.41 = 2,387.28 in the first column.
        let ctx = Context {
            remaining: vec![Some(d("95.41")), Some(d("1701.43")), Some(d("1293.09"))],
            rate: None,
        };
        let p = place(&[d("95.41")], &[0, 1, 2], &ctx).unwrap();
        assert_eq!(p.columns, [0]);
        assert!(p.by_arithmetic);
    }

    #[test]
    fn values_that_would_exceed_the_parent_move_right() {
        let ctx = Context { remaining: vec![Some(d("0")), Some(d("1701.43")), Some(d("1293.09"))], rate: None };
        let p = place(&[d("776.68"), d("568.09")], &[0, 1, 2], &ctx).unwrap();
        assert_eq!(p.columns, [1, 2]);
    }

    #[test]
    fn rate_decides_when_no_parent() {
        // 上年结转资金 560.35 560.35 100.00%: budget col 1, executed col 2.
        let ctx = Context { remaining: vec![None, None, None], rate: Some((1, 2, d("100.00"))) };
        let p = place(&[d("560.35"), d("560.35")], &[0, 1, 2], &ctx).unwrap();
        assert_eq!(p.columns, [1, 2]);
    }

    #[test]
    fn ties_leave_the_left_empty() {
        let ctx = Context { remaining: vec![None, None, None], rate: None };
        let p = place(&[d("1")], &[0, 1, 2], &ctx).unwrap();
        assert_eq!(p.columns, [2]);
        assert!(!p.by_arithmetic);
    }

    #[test]
    fn too_many_values() {
        assert!(place(&[d("1"), d("2")], &[0], &Context::default()).is_none());
    }
}
