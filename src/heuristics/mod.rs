//! Recovery heuristics: each a named, separately tested step that reports what it decided.
//!
//! | step | decides |
//! |---|---|
//! | [`wrapped_join`] | which line of a wrapped cell continues which (block marks, fullness) |
//! | [`vertical_labels`] | labels printed one character per line (绩/效/指/标) |
//! | [`page_headers`] | header rows and captions repeated after page breaks |
//! | [`indicator_partition`] | name / target / actual of an indicator row in an unmarked dump |
//! | [`deviation_split`] | a deviation note vs the next row in a marked dump |
//! | [`number_rejoin`] | numbers wrapped over several lines, regrouped |
//! | [`column_by_arithmetic`] | the column of a lone number, by the table's sums and rates |

pub mod column_by_arithmetic;
pub mod deviation_split;
pub mod indicator_partition;
pub mod number_rejoin;
pub mod page_headers;
pub mod vertical_labels;
pub mod wrapped_join;
