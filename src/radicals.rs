//! Folding of Kangxi Radicals (U+2F00–U+2FDF) and CJK Radicals Supplement (U+2E80–U+2EFF)
//! to the unified ideographs they look like (`⻔` → `门`, `⽀` → `支`, `⼈` → `人`).
//!
//! PDFs made with CID TrueType fonts often map ordinary ideographs to these radical code
//! points. The table (`src/radicals_table.rs`) is generated from Unicode's
//! `EquivalentUnifiedIdeograph.txt` by `tools/gen-radicals`; see its header for how to
//! regenerate it. Radicals without an equivalent ideograph are left as they are.

include!("radicals_table.rs");

/// True when `c` lies in one of the two radical blocks this module folds.
pub fn is_radical(c: char) -> bool {
    // The two blocks are adjacent: U+2E80–U+2EFF and U+2F00–U+2FDF.
    matches!(c as u32, 0x2E80..=0x2FDF)
}

/// Fold one character: a radical with an equivalent unified ideograph becomes that
/// ideograph; every other character is returned unchanged.
pub fn fold_char(c: char) -> char {
    if !is_radical(c) {
        return c;
    }
    let cp = c as u32;
    match RADICALS.binary_search_by_key(&cp, |&(s, _)| s) {
        Ok(i) => char::from_u32(RADICALS[i].1).unwrap_or(c),
        Err(_) => c,
    }
}

/// Fold every character of `s`.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_sorted_and_in_blocks() {
        assert!(RADICALS.windows(2).all(|w| w[0].0 < w[1].0));
        for &(s, d) in RADICALS.iter() {
            assert!(is_radical(char::from_u32(s).unwrap()), "{s:04X}");
            let d = char::from_u32(d).unwrap();
            assert!(!is_radical(d), "{s:04X} maps into the radical blocks");
        }
    }

    #[test]
    fn known_radicals() {
        assert_eq!(fold_char('⻔'), '门');
        assert_eq!(fold_char('⽀'), '支');
        assert_eq!(fold_char('⼈'), '人');
        assert_eq!(fold_char('⺠'), '民');
        assert_eq!(fold("⽀出⾦额⼯⽬⽼⾃"), "支出金额工目老自");
        assert_eq!(fold("部⻔整体⽀出"), "部门整体支出");
    }

    #[test]
    fn ordinary_untouched() {
        let s = "部门整体支出绩效自评表 ≥5,441.47万人 100.00% ABC —— ㇐ 𠀀";
        assert_eq!(fold(s), s);
        assert_eq!(fold(""), "");
        // A radical the data gives no equivalent for stays as it is.
        for cp in 0x2E80..=0x2FDFu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if RADICALS.binary_search_by_key(&cp, |&(s, _)| s).is_err() {
                assert_eq!(fold_char(c), c);
            }
        }
    }

    #[test]
    fn fold_leaves_no_mapped_radical() {
        let all: String = RADICALS
            .iter()
            .filter_map(|&(s, _)| char::from_u32(s))
            .collect();
        let folded = fold(&all);
        assert_eq!(folded.chars().count(), RADICALS.len());
        assert!(folded.chars().all(|c| !is_radical(c)), "{folded}");
    }
}
