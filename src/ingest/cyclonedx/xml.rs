//! CycloneDX XML reader (to be written).
