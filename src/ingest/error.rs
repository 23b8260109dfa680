//! The one error type every reader returns when an input cannot be used at all.

use std::fmt;

/// An input that could not be read: which file, where in it, what is wrong,
/// and (when the problem is an unsupported format) what is supported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub file: String,
    /// `line 12, column 4`, a JSON pointer, or `None` when the whole file is at fault.
    pub position: Option<String>,
    pub message: String,
    /// What the tool does support, for "unsupported version/format" errors.
    pub supported: Option<String>,
}

impl ReadError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        ReadError {
            file: file.into(),
            position: None,
            message: message.into(),
            supported: None,
        }
    }

    pub fn at(mut self, position: impl Into<String>) -> Self {
        self.position = Some(position.into());
        self
    }

    pub fn supported(mut self, what: impl Into<String>) -> Self {
        self.supported = Some(what.into());
        self
    }

    /// Build from a serde_json error, keeping its line and column.
    pub fn from_json(file: &str, e: &serde_json::Error) -> Self {
        let msg = e.to_string();
        // serde_json appends " at line L column C"; keep the message without it.
        let message = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        // Our own limits (serde "custom" errors) are not JSON syntax errors.
        let message = if e.classify() == serde_json::error::Category::Data
            && message.contains("the limit for one document")
        {
            message
        } else {
            format!("invalid JSON: {message}")
        };
        ReadError::new(file, message).at(format!("line {}, column {}", e.line(), e.column()))
    }

    /// Build from a TOML error, keeping its line and column.
    pub fn from_toml(file: &str, what: &str, text: &str, e: &toml::de::Error) -> Self {
        let mut err = ReadError::new(file, format!("invalid {what}: {}", e.message()));
        // The TOML reader stops at 80 nested arrays and tables; say so, in the manifest's terms.
        if e.message().contains("recursion") {
            err = err.supported(
                "arrays and tables nested at most 80 levels deep (a bid's owners at most 40 levels)",
            );
        }
        match e.span() {
            Some(span) => err.at(ReadError::line_col(text.as_bytes(), span.start)),
            None => err,
        }
    }

    /// Line and column (1-based) of a byte offset in a text.
    pub fn line_col(text: &[u8], offset: usize) -> String {
        let offset = offset.min(text.len());
        let before = &text[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = offset
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        format!("line {line}, column {col}")
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(p) = &self.position {
            write!(f, ", {p}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(s) = &self.supported {
            write!(f, " (supported: {s})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ReadError {}

/// The formats coquille reads, for error messages.
pub const SUPPORTED_SBOMS: &str = "CycloneDX 1.2-1.7 (JSON, XML), SPDX 2.2-2.3 (JSON, tag-value), SPDX 3.0 (JSON-LD), \
coquille bid manifest (TOML); optionally gzip, xz or zstd compressed";
