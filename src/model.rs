//! The output data model, schema `annex2json/1` (see `docs/SCHEMA.md`).
//!
//! Every type here serializes every key, in the order the schema lists them; an absent
//! part is `null` (or `[]` for a list). Numbers are [`Decimal`] values written as JSON
//! numbers with the digits as printed: `100.00` stays `100.00` (serde_json's
//! `arbitrary_precision` with rust_decimal's `arbitrary_precision_option` adapter, so no
//! float ever stands between the printed digits and the JSON).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The schema identifier written into every [`Document`].
pub const SCHEMA: &str = "annex2json/1";

/// One extracted input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Always [`SCHEMA`].
    pub schema: String,
    pub source: Source,
    /// One per `附件N` marker, in document order (plus id-less annexes, see [`Annex::id`]).
    pub annexes: Vec<Annex>,
    /// Diagnostics that concern the whole file rather than one annex.
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a [`Document`] came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The input's file name (no directories).
    pub file: String,
    /// `"pdf"` or `"text"`.
    pub format: String,
    /// Lower-case hex SHA-256 of the input bytes.
    pub sha256: String,
    /// Page count for a PDF; `null` for a text dump.
    pub pages: Option<u32>,
}

/// The kind of an annex, decided by its title words and by its structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 绩效评价基础数据表: tables `staffing`, `expense_control`, `building_control`.
    BasicData,
    /// 部门整体支出绩效自评表.
    OverallSelfEvaluation,
    /// 项目支出绩效自评表.
    ProjectSelfEvaluation,
    /// 基金支出绩效自评表, or a self-evaluation whose 项目支出名称 is a 基金.
    FundSelfEvaluation,
    /// 预算支出情况表 / 收支情况表: table `budget_execution`.
    BudgetExecution,
    /// 绩效目标申报表 / 绩效目标表 / 绩效目标填报表: goals set before the year (fields,
    /// `funds` where printed, goals, indicators with targets; no results).
    PerformanceGoals,
    /// Anything else: generic tables rebuilt from layout.
    Unknown,
}

impl Kind {
    /// The snake_case name used in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::BasicData => "basic_data",
            Kind::OverallSelfEvaluation => "overall_self_evaluation",
            Kind::ProjectSelfEvaluation => "project_self_evaluation",
            Kind::FundSelfEvaluation => "fund_self_evaluation",
            Kind::BudgetExecution => "budget_execution",
            Kind::PerformanceGoals => "performance_goals",
            Kind::Unknown => "unknown",
        }
    }

    /// True for the three self-evaluation kinds (funds + goals + indicators).
    pub fn is_self_evaluation(self) -> bool {
        matches!(
            self,
            Kind::OverallSelfEvaluation | Kind::ProjectSelfEvaluation | Kind::FundSelfEvaluation
        )
    }
}

/// One annex (`附件N` / `附件N-M`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annex {
    /// `"3-1"` for `附件3-1`; `null` for a table found before the first marker.
    pub id: Option<String>,
    /// The marker as printed, `附件3-1`.
    pub label: Option<String>,
    pub kind: Kind,
    /// The title line as printed (radicals folded); `null` when the annex has none.
    pub title: Option<String>,
    /// The report year (from the title, else from the document).
    pub year: Option<i32>,
    /// The annex's money unit: `万元`, `亿元`, `元`.
    pub unit: Option<String>,
    /// Label–value pairs above the tables (`project_name`, `department`, `implementer`, others by label).
    pub fields: Option<serde_json::Map<String, serde_json::Value>>,
    pub tables: Vec<Table>,
    pub goals: Option<Goals>,
    pub indicators: Vec<Indicator>,
    pub total: Option<Total>,
    pub signoff: Option<Signoff>,
    pub notes: Vec<String>,
    pub checks: Vec<Check>,
    pub diagnostics: Vec<Diagnostic>,
    /// Accepts `null` when read back (hand-written expected files may leave it out).
    #[serde(default, deserialize_with = "null_as_default")]
    pub source: AnnexSource,
}

/// Where an annex sits in its input.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AnnexSource {
    /// First and last page (PDF only).
    pub pages: Option<Vec<u32>>,
    /// First and last line (1-based) of the text the annex was read from.
    pub lines: Option<Vec<usize>>,
}

/// A rebuilt table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// `funds`, `funds_by_source`, `funds_by_use`, `staffing`, `expense_control`,
    /// `building_control`, `budget_execution`, or `table_N` for generic tables.
    pub name: String,
    /// The table's caption as printed (`项目资金（万元）`).
    pub title: Option<String>,
    pub unit: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// A column header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Stable English key (`initial_budget`, `final_2023`…), `null` for an unknown header.
    pub key: Option<String>,
    /// The header as printed, its split lines joined.
    pub label: String,
}

/// A table row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The numbering prefix as printed, less its trailing `、` `.` `．`.
    pub code: Option<String>,
    /// The row text without numbering prefix and without a leading `其中：`.
    pub label: String,
    /// Nesting depth, 0 for top rows.
    pub level: u32,
    /// Index of the enclosing row in `rows`.
    pub parent: Option<usize>,
    /// Exactly one entry per column; `null` where the printed cell is empty or a dash.
    pub cells: Vec<Option<Cell>>,
}

/// One printed cell, normalized (see [`crate::cell`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The cell as printed: wrapped lines joined, radicals folded, outer spaces trimmed.
    pub text: String,
    /// `>=`, `<=`, `>`, `<`, `=` or `null`; set only when `number` is.
    pub cmp: Option<String>,
    /// The cell's one quantity, digits as printed, separators dropped.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub number: Option<Decimal>,
    /// The quantity's unit (`%`, `万人`, `亿元`…).
    pub unit: Option<String>,
}

/// 年度总体目标: expected and actual.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Goals {
    pub expected: Option<String>,
    pub actual: Option<String>,
}

/// One 绩效指标 row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub level1: Option<String>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub level1_weight: Option<Decimal>,
    pub level2: Option<String>,
    pub name: String,
    pub target: Option<Cell>,
    pub actual: Option<Cell>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub weight: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub score: Option<Decimal>,
    pub deviation: Option<String>,
    /// Every other indicator column of the form (指标性质, 度量单位, 得分系数, 复核分 …):
    /// printed header label → the cell's text as printed, in printed order; `{}` when none.
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// A core indicator (★ before its name, or 是否核心指标 = 是); `None` when the form
    /// marks no core indicators.
    #[serde(default)]
    pub core: Option<bool>,
}

/// 总分.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Total {
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub weight: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub score: Option<Decimal>,
    /// A printed grade (自评等级: 优 / 良 / 中 / 差), or `None`.
    #[serde(default)]
    pub grade: Option<String>,
}

/// 填表人 / 填报日期 / 联系电话 / 单位负责人.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Signoff {
    pub preparer: Option<String>,
    /// ISO date `YYYY-MM-DD` when the printed date is complete, else as printed.
    pub date: Option<String>,
    pub phone: Option<String>,
    pub head: Option<String>,
}

/// One arithmetic relation the table implies, and whether it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub rule: String,
    #[serde(rename = "where")]
    pub at: String,
    pub expected: String,
    pub computed: String,
    pub ok: bool,
}

/// Severity of a [`Diagnostic`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// Where in the input a diagnostic points.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Position {
    pub page: Option<u32>,
    pub line: Option<usize>,
}

/// Something a researcher must know about the data or about how it was recovered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub level: Level,
    /// Stable code, see the README's table of codes.
    pub code: String,
    pub message: String,
    pub at: Option<Position>,
}

impl Diagnostic {
    pub fn new(level: Level, code: &str, message: impl Into<String>, at: Option<Position>) -> Self {
        Diagnostic { level, code: code.to_string(), message: message.into(), at }
    }
    pub fn info(code: &str, message: impl Into<String>, at: Option<Position>) -> Self {
        Self::new(Level::Info, code, message, at)
    }
    pub fn warning(code: &str, message: impl Into<String>, at: Option<Position>) -> Self {
        Self::new(Level::Warning, code, message, at)
    }
}

impl Annex {
    /// An empty annex of kind `unknown`.
    pub fn empty(id: Option<String>, label: Option<String>) -> Self {
        Annex {
            id,
            label,
            kind: Kind::Unknown,
            title: None,
            year: None,
            unit: None,
            fields: None,
            tables: Vec::new(),
            goals: None,
            indicators: Vec::new(),
            total: None,
            signoff: None,
            notes: Vec::new(),
            checks: Vec::new(),
            diagnostics: Vec::new(),
            source: AnnexSource::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn numbers_are_json_numbers_with_their_printed_digits() {
        let c = Cell { text: "100.00%".into(), cmp: None, number: Some(Decimal::from_str("100.00").unwrap()), unit: Some("%".into()) };
        let j = serde_json::to_string(&c).unwrap();
        assert_eq!(j, r#"{"text":"100.00%","cmp":null,"number":100.00,"unit":"%"}"#);
        let back: Cell = serde_json::from_str(&j).unwrap();
        assert_eq!(back, c);
        let none = Cell { number: None, ..c };
        assert!(serde_json::to_string(&none).unwrap().contains(r#""number":null"#));
    }
}

/// Deserialize `null` (or an absent key) as the type's default.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
