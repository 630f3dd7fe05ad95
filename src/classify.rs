//! Annex classification: the [`Kind`] of an annex, from its title's words and, when the
//! title is missing or says nothing, from the labels its body prints.
//!
//! The vocabulary is the national template's (财政部 performance self-evaluation forms and
//! 预算执行 tables), not any one document's.

use crate::model::Kind;

/// How the kind was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Title,
    Structure,
    Nothing,
}

/// Kind from title words alone.
pub fn by_title(title: &str) -> Option<Kind> {
    let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    if t.contains("基础数据表") || t.contains("评价基础数据") {
        Some(Kind::BasicData)
    } else if t.contains("部门整体支出绩效") || t.contains("整体支出绩效自评") {
        Some(Kind::OverallSelfEvaluation)
    } else if t.contains("基金支出绩效") {
        Some(Kind::FundSelfEvaluation)
    } else if t.contains("绩效目标申报表") || t.contains("绩效目标表") || t.contains("绩效目标填报表") {
        Some(Kind::PerformanceGoals)
    } else if t.contains("整体绩效自评") {
        Some(Kind::OverallSelfEvaluation)
    } else if t.contains("项目支出绩效") || t.contains("绩效自评表") || t.contains("绩效目标自评") {
        Some(Kind::ProjectSelfEvaluation)
    } else if t.contains("预算支出情况表")
        || t.contains("收支情况表")
        || t.contains("预算执行情况表")
        || t.contains("支出情况表")
    {
        Some(Kind::BudgetExecution)
    } else {
        None
    }
}

/// Kind from the body's printed labels (`body` is the annex's text with whitespace removed).
pub fn by_structure(body: &str) -> Option<Kind> {
    let has = |w: &str| body.contains(w);
    let indicators = has("一级指标") || has("三级指标") || has("绩效指标") || has("产出指标");
    if indicators {
        if has("省级预算部门名称") || has("部门名称") && !has("项目支出名称") && !has("项目名称") {
            return Some(Kind::OverallSelfEvaluation);
        }
        return Some(Kind::ProjectSelfEvaluation);
    }
    if has("经费控制情况") || has("财政供养人员") || has("三公经费") && has("楼堂馆所") {
        return Some(Kind::BasicData);
    }
    if (has("期初余额") || has("期末滚存结余") || has("期末余额"))
        && (has("收入合计") || has("支出合计"))
    {
        return Some(Kind::BudgetExecution);
    }
    None
}

/// A project self-evaluation whose 项目支出名称 names a 基金 is a fund self-evaluation.
pub fn refine(kind: Kind, project_name: Option<&str>) -> Kind {
    match (kind, project_name) {
        (Kind::ProjectSelfEvaluation, Some(n)) if n.contains("基金") => Kind::FundSelfEvaluation,
        (k, _) => k,
    }
}

/// Classify: title first, then structure.
pub fn classify(title: Option<&str>, body: &str) -> (Kind, Basis) {
    if let Some(k) = title.and_then(by_title) {
        return (k, Basis::Title);
    }
    match by_structure(body) {
        Some(k) => (k, Basis::Structure),
        None => (Kind::Unknown, Basis::Nothing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(by_title("2024年度部门整体支出绩效评价基础数据表"), Some(Kind::BasicData));
        assert_eq!(by_title("2024年度部门整体支出绩效自评表"), Some(Kind::OverallSelfEvaluation));
        assert_eq!(by_title("2024年度项目支出绩效自评表"), Some(Kind::ProjectSelfEvaluation));
        assert_eq!(by_title("工伤保险基金支出绩效自评表"), Some(Kind::FundSelfEvaluation));
        assert_eq!(by_title("2024年工伤保险基金预算支出情况表"), Some(Kind::BudgetExecution));
        assert_eq!(by_title("2019年部门收支总表"), None);
    }

    #[test]
    fn structure_without_title() {
        assert_eq!(
            by_structure("项目支出名称机关事业单位基本养老保险基金主管部门…一级指标二级指标三级指标"),
            Some(Kind::ProjectSelfEvaluation)
        );
        assert_eq!(refine(Kind::ProjectSelfEvaluation, Some("机关事业单位基本养老保险基金")), Kind::FundSelfEvaluation);
        assert_eq!(by_structure("一、期初余额…二、收入合计"), Some(Kind::BudgetExecution));
        assert_eq!(by_structure("随便什么"), None);
    }
}
