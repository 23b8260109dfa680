//! SPDX 2.2 and 2.3 (placeholder until the readers land).

pub mod json {
    use crate::ingest::ReadError;
    use crate::model::Inventory;
    pub fn read(file: &str, _bytes: &[u8]) -> Result<Inventory, ReadError> {
        Err(ReadError::new(file, "SPDX JSON is not read yet"))
    }
}
pub mod tag_value {
    use crate::ingest::ReadError;
    use crate::model::Inventory;
    pub fn read(file: &str, _text: &str) -> Result<Inventory, ReadError> {
        Err(ReadError::new(file, "SPDX tag-value is not read yet"))
    }
}
