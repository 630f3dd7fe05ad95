//! # annex2json
//!
//! Turns published Chinese government budget-performance disclosures (部门整体支出绩效自评表,
//! 项目支出绩效自评表, 基金支出绩效自评表, 绩效评价基础数据表, 预算支出情况表 …) into typed JSON,
//! schema `annex2json/1` (see `docs/SCHEMA.md` and [`model`]).
//!
//! The pipeline, one module per step:
//! 1. **read** — [`text_reader`] (text dumps) or [`pdf`] (PDF text layer) produce one
//!    positioned-token [`token::Layout`];
//! 2. **segment** — [`segment`] splits it at `附件N` markers and reads titles, years, units;
//! 3. **classify** — [`classify`] assigns each annex its [`model::Kind`];
//! 4. **rebuild** — per-kind grammars in [`grammar`] rebuild fields, tables, goals and
//!    indicators, using the named recovery steps in [`heuristics`];
//! 5. **normalize and check** — [`cell`] normalizes cells; [`checks`] verifies the
//!    tables' own arithmetic.

pub mod cell;
pub mod error;
pub mod model;
pub mod pdf;
pub mod radicals;
pub mod token;

pub use error::{Error, Result};
pub use model::Document;
