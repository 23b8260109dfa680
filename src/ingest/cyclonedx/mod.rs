//! CycloneDX 1.2-1.7, JSON and XML.

pub mod xml;
