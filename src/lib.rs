//! coquille: find the foreign engine inside the local shell.
//!
//! The crate is a one-way pipeline; see `ARCHITECTURE.md` for the code map.

pub mod attribute;
pub mod ingest;
pub mod model;
pub mod registry;
