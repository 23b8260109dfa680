//! CycloneDX XML reader (placeholder until the streaming reader lands).

use crate::ingest::ReadError;
use crate::model::Inventory;

pub fn read(file: &str, _bytes: &[u8]) -> Result<Inventory, ReadError> {
    Err(ReadError::new(file, "CycloneDX XML is not read yet"))
}
