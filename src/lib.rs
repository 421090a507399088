//! keytrace: finds credentials committed to git, ties each to the non-human identity
//! that owns it, and says how to rotate it.
//!
//! Data flow: `cli` -> `config` -> `source` -> `engine` (a worker per thread, each with
//! its own `matcher`) -> `finding` -> `suppress` -> `nhi` -> `report`. `main.rs` is a thin
//! shell around [`run`]. Imports only point down the layers that `ARCHITECTURE.md` lists.

#![deny(unsafe_code)]

pub mod cli;
pub mod config;
pub mod date;
pub mod engine;
pub mod escape;
pub mod facts;
pub mod finding;
pub mod lint;
pub mod matcher;
pub mod nhi;
pub mod pathmatch;
pub mod plural;
pub mod progress;
pub mod report;
pub mod rules;
pub mod run;
pub mod secret;
pub mod source;
pub mod suppress;
