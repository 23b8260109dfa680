//! SPDX 2.2 and 2.3, JSON and tag-value (to be written).
