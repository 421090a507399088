//! keytrace: finds credentials committed to git, ties each to the non-human identity
//! that owns it, and says how to rotate it.
//!
//! Data flow: `cli` -> `config` -> `source` -> `matcher` (per thread) -> `finding` ->
//! `report`. `main.rs` is a thin shell around [`run`].

pub mod cli;
pub mod config;
pub mod finding;
pub mod gitleaks;
pub mod hook;
pub mod matcher;
pub mod nhi;
pub mod progress;
pub mod report;
pub mod rotation;
pub mod rules;
pub mod run;
pub mod scan;
pub mod source;
pub mod suppress;
