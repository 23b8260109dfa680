//! Renderers: one function per output format, each from the report model to
//! a string. Renderers never decide anything; they only present.

pub mod charts;
pub mod csv;
pub mod escape;
pub mod gate;
pub mod graph;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod md;
pub mod text;

pub use crate::i18n::{self, Lang};
