//! Folding of Kangxi Radicals and CJK Radicals Supplement to unified ideographs.
//! (Table generation in progress.)

/// Fold one character.
pub fn fold_char(c: char) -> char {
    c
}

/// Fold every character of `s`.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}
