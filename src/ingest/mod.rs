//! Ingest: one reader per format, each returning the model plus diagnostics.

pub mod cyclonedx;
pub mod error;
pub mod spdx;

pub use error::{ReadError, SUPPORTED_SBOMS};
