//! coquille: find the foreign engine inside the local shell.
//!
//! The crate is a one-way pipeline; see `ARCHITECTURE.md` for the code map.

pub mod analyse;
pub mod app;
pub mod attribute;
pub mod cli;
pub mod country;
#[doc(hidden)]
pub mod fuzz_targets;
pub mod graph;
pub mod i18n;
pub mod ingest;
pub mod model;
pub mod policy;
pub mod registry;
pub mod render;
pub mod report;
