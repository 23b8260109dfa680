//! Ingest: one reader per format, each returning the model plus diagnostics.
//!
//! [`parse`] is the single entry point: it hashes the raw bytes, undoes
//! compression (gzip, xz, zstd) within a size limit, sniffs the format from
//! the content (never the file name) and hands the text to the right reader.

pub mod cargo;
pub mod cyclonedx;
pub mod error;
pub mod lenient;
pub mod locate;
pub mod manifest;
pub mod refs;
pub mod rust_source;
pub mod schema;
pub mod spdx;
pub mod tender;

pub use error::{ReadError, SUPPORTED_SBOMS};

use crate::model::{Diagnostic, Encoding, Format, Inventory, Level, Origin};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::io::Read;

/// Largest input accepted, before and after decompression (1 GiB).
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

/// An input file as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputFile {
    pub path: String,
    /// SHA-256 of the bytes as stored (before decompression).
    pub sha256: String,
    pub bytes: u64,
    /// `cyclonedx-1.5+json`, `spdx-2.3+tag-value`, `coquille-bid-1+toml`.
    pub format: String,
    /// `gzip`, `xz` or `zstd` when the file was compressed.
    pub compression: Option<String>,
}

/// What a file turned out to be.
#[derive(Debug, Clone)]
pub enum Document {
    Sbom(Box<Inventory>),
    Manifest(Box<manifest::Manifest>),
}

#[derive(Debug, Clone)]
pub struct Loaded {
    pub input: InputFile,
    /// Further files the document depends on (a workspace's Cargo.lock).
    pub extra: Vec<InputFile>,
    pub doc: Document,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Undo gzip, xz or zstd compression (detected from magic bytes), refusing
/// to inflate past `limit` bytes.
pub fn decompress<'a>(
    file: &str,
    raw: &'a [u8],
    limit: u64,
) -> Result<(Cow<'a, [u8]>, Option<&'static str>), ReadError> {
    let too_big = || {
        ReadError::new(
            file,
            format!("decompressed size exceeds the limit of {limit} bytes"),
        )
        .supported("inputs up to the --max-input-size limit")
    };
    let mut out = Vec::new();
    let kind = if raw.starts_with(&[0x1f, 0x8b]) {
        let d = flate2::read::MultiGzDecoder::new(raw);
        d.take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| ReadError::new(file, format!("corrupt gzip data: {e}")))?;
        "gzip"
    } else if raw.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        // Streamed, so the limit stops it as it inflates; the dictionary a
        // block asks for is capped before it is allocated.
        let d = lzma_rust2::XzReader::new_mem_limit(raw, true, XZ_MEMORY_KIB);
        d.take(limit + 1).read_to_end(&mut out).map_err(|e| {
            if e.kind() == std::io::ErrorKind::OutOfMemory {
                ReadError::new(
                    file,
                    format!(
                        "xz data asks for a dictionary over {} MiB",
                        XZ_MEMORY_KIB / 1024
                    ),
                )
                .supported("xz files made with presets up to -9e (64 MiB dictionaries)")
            } else {
                ReadError::new(file, format!("corrupt xz data: {e}"))
            }
        })?;
        "xz"
    } else if raw.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        zstd_frames(file, raw, limit, &mut out)?;
        "zstd"
    } else {
        return Ok((Cow::Borrowed(raw), None));
    };
    if out.len() as u64 > limit {
        return Err(too_big());
    }
    Ok((Cow::Owned(out), Some(kind)))
}

/// The memory an xz block's decoder may use, in KiB (its dictionary and state).
const XZ_MEMORY_KIB: u32 = 256 * 1024;

/// Every frame of a zstd file (concatenated frames are one stream, as `zstd -d`
/// reads them), skippable frames skipped, the output capped at `limit + 1` bytes.
fn zstd_frames(file: &str, raw: &[u8], limit: u64, out: &mut Vec<u8>) -> Result<(), ReadError> {
    let corrupt =
        |e: &dyn std::fmt::Display| ReadError::new(file, format!("corrupt zstd data: {e}"));
    let mut input = raw;
    while !input.is_empty() && (out.len() as u64) <= limit {
        let magic = input
            .get(..4)
            .map(|m| u32::from_le_bytes([m[0], m[1], m[2], m[3]]));
        if let Some(0x184D_2A50..=0x184D_2A5F) = magic {
            let size = input
                .get(4..8)
                .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
                .ok_or_else(|| corrupt(&"truncated skippable frame"))?;
            input = input
                .get(8 + size..)
                .ok_or_else(|| corrupt(&"truncated skippable frame"))?;
            continue;
        }
        let mut d = ruzstd::decoding::StreamingDecoder::new(&mut input).map_err(|e| corrupt(&e))?;
        let room = limit + 1 - out.len() as u64;
        (&mut d)
            .take(room)
            .read_to_end(out)
            .map_err(|e| corrupt(&e))?;
    }
    Ok(())
}

/// The kinds of text the sniffer recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    /// SPDX 3.0 JSON-LD.
    Spdx3Json,
    SpdxTagValue,
    Manifest,
    CargoMetadata,
}

/// Recognise a format from the content.
pub fn sniff(file: &str, text: &[u8]) -> Result<Sniffed, ReadError> {
    let body = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let body = &body[start..];
    let find = |needle: &str| memchr::memmem::find(body, needle.as_bytes());
    match body.first() {
        Some(b'{') => {
            if find("\"workspace_members\"").is_some()
                && find("\"packages\"").is_some()
                && find("\"bomFormat\"").is_none()
            {
                return Ok(Sniffed::CargoMetadata);
            }
            let cdx = find("\"bomFormat\"");
            let spdx = find("\"spdxVersion\"");
            return match (cdx, spdx) {
                (Some(c), Some(s)) if s < c => Ok(Sniffed::SpdxJson),
                (Some(_), _) => Ok(Sniffed::CycloneDxJson),
                (None, Some(_)) => Ok(Sniffed::SpdxJson),
                (None, None) if find("\"@context\"").is_some() && find("spdx").is_some() => {
                    Ok(Sniffed::Spdx3Json)
                }
                (None, None) => Err(ReadError::new(file, "JSON document is neither CycloneDX (no \"bomFormat\") nor SPDX (no \"spdxVersion\")")
                    .supported(SUPPORTED_SBOMS)),
            };
        }
        Some(b'<') => {
            if find("cyclonedx.org/schema/bom").is_some() {
                return Ok(Sniffed::CycloneDxXml);
            }
            if find("spdx.org/rdf").is_some()
                || find("<SpdxDocument").is_some()
                || find("<Document").is_some() && find("spdx").is_some()
            {
                return Err(
                    ReadError::new(file, "SPDX RDF/XML and XML are not supported")
                        .supported(SUPPORTED_SBOMS),
                );
            }
            return Err(ReadError::new(
                file,
                "XML document is not CycloneDX (no http://cyclonedx.org/schema/bom namespace)",
            )
            .supported(SUPPORTED_SBOMS));
        }
        None => return Err(ReadError::new(file, "empty file").supported(SUPPORTED_SBOMS)),
        _ => {}
    }
    let head = &body[..body.len().min(64 * 1024)];
    let has_line = |prefix: &str| {
        head.split(|&b| b == b'\n')
            .any(|l| l.trim_ascii_start().starts_with(prefix.as_bytes()))
    };
    if has_line("SPDXVersion:") {
        return Ok(Sniffed::SpdxTagValue);
    }
    if has_line("schema = \"coquille.bid/") || has_line("[bidder]") {
        return Ok(Sniffed::Manifest);
    }
    if has_line("schema = \"coquille.tender/") {
        return Err(ReadError::new(
            file,
            "is a tender, not a bid or an SBOM: run `coquille tender` on it",
        ));
    }
    if has_line("schema = \"coquille.policy/") {
        return Err(ReadError::new(
            file,
            "is a policy, not a bid or an SBOM: pass it as `coquille check --policy FILE`",
        ));
    }
    if has_line("spdxVersion:") {
        return Err(ReadError::new(file, "SPDX YAML is not supported").supported(SUPPORTED_SBOMS));
    }
    Err(ReadError::new(file, "unrecognised input format").supported(SUPPORTED_SBOMS))
}

/// Longest text kept from an SBOM in any field a report shows (a name, version, purl, CPE,
/// licence, party, URL, endpoint or property): 64 KiB, far above any real value.
pub const MAX_TEXT: usize = 64 * 1024;

/// Refuse an inventory with a text over [`MAX_TEXT`], naming the element that holds it.
fn check_lengths(file: &str, inv: &Inventory) -> Result<(), ReadError> {
    let too_long = |element: &str, field: &str, len: usize| {
        ReadError::new(
            file,
            format!(
                "{field} is {len} bytes long, over the limit of {MAX_TEXT} bytes for one value"
            ),
        )
        .at(element.to_string())
    };
    let party = |p: &crate::model::Party| {
        p.name
            .iter()
            .chain(&p.urls)
            .chain(&p.emails)
            .map(String::len)
            .max()
            .unwrap_or(0)
    };
    for c in &inv.components {
        let fields = [
            ("name", c.name.len()),
            ("version", c.version.as_ref().map_or(0, String::len)),
            ("group", c.group.as_ref().map_or(0, String::len)),
            ("purl", c.purl.as_ref().map_or(0, String::len)),
            ("cpe", c.cpe.as_ref().map_or(0, String::len)),
            (
                "a licence",
                c.licenses.iter().map(String::len).max().unwrap_or(0),
            ),
            (
                "a reference",
                c.external_refs
                    .iter()
                    .map(|r| r.url.len())
                    .max()
                    .unwrap_or(0),
            ),
            (
                "a property",
                c.properties
                    .iter()
                    .map(|(k, v)| k.len().max(v.len()))
                    .max()
                    .unwrap_or(0),
            ),
            (
                "a party",
                c.parties.iter().map(|p| party(&p.party)).max().unwrap_or(0),
            ),
        ];
        if let Some((field, len)) = fields.into_iter().find(|(_, l)| *l > MAX_TEXT) {
            return Err(too_long(&c.origin.element, field, len));
        }
    }
    for s in &inv.services {
        let fields = [
            ("name", s.name.len()),
            ("version", s.version.as_ref().map_or(0, String::len)),
            ("group", s.group.as_ref().map_or(0, String::len)),
            (
                "an endpoint",
                s.endpoints.iter().map(String::len).max().unwrap_or(0),
            ),
            (
                "the provider",
                s.provider.as_ref().map_or(0, |p| party(&p.party)),
            ),
            (
                "a reference",
                s.external_refs
                    .iter()
                    .map(|r| r.url.len())
                    .max()
                    .unwrap_or(0),
            ),
            (
                "a property",
                s.properties
                    .iter()
                    .map(|(k, v)| k.len().max(v.len()))
                    .max()
                    .unwrap_or(0),
            ),
        ];
        if let Some((field, len)) = fields.into_iter().find(|(_, l)| *l > MAX_TEXT) {
            return Err(too_long(&s.origin.element, field, len));
        }
    }
    Ok(())
}

/// How to read inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Largest input, before and after decompression.
    pub limit: u64,
    /// Also validate as `coquille validate` does (cyclonedx-bom on a build without schemas).
    pub strict: bool,
    /// Flags passed to `cargo metadata` for Rust workspaces.
    pub cargo: cargo::CargoFlags,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limit: DEFAULT_MAX_BYTES,
            strict: false,
            cargo: cargo::CargoFlags::default(),
        }
    }
}

/// Hash, decompress, sniff and read one input.
pub fn parse(file: &str, raw: &[u8], limit: u64) -> Result<Loaded, ReadError> {
    parse_with(
        file,
        raw,
        &Options {
            limit,
            ..Options::default()
        },
    )
}

/// `--strict`: the problems `coquille validate` finds (the JSON schema of the standard, or
/// the XSD rules for CycloneDX XML), as warnings at their JSON pointer or element path.
/// `None` when this build has no schemas: the caller falls back on cyclonedx-bom.
fn strict_diagnostics(file: &str, text: &[u8], kind: Sniffed) -> Option<Vec<Diagnostic>> {
    if !schema::available() {
        return None;
    }
    let v = if kind == Sniffed::CycloneDxXml {
        // The caller has read the document: only the rules remain.
        cyclonedx::xml_rules::check(file, text)
    } else {
        let s = std::str::from_utf8(text).ok()?;
        let doc: serde_json::Value = serde_json::from_str(s).ok()?;
        schema::validate_json(s, &doc).map_err(|e| e.to_string())
    };
    let warn = |element: String, message: String| Diagnostic {
        level: Level::Warning,
        origin: Origin::new(file, element),
        message,
    };
    Some(match v {
        Err(e) => vec![Diagnostic {
            level: Level::Info,
            origin: Origin::new(file, ""),
            message: format!("not validated: {e}"),
        }],
        Ok(v) => {
            let mut out: Vec<Diagnostic> = v
                .problems
                .into_iter()
                .map(|p| warn(p.pointer, format!("schema ({}): {}", v.against, p.message)))
                .collect();
            if v.more > 0 {
                out.push(warn(
                    String::new(),
                    format!("schema ({}): {} more problems", v.against, v.more),
                ));
            }
            out
        }
    })
}

/// Is this a document coquille reads (an SBOM, a bid manifest, cargo metadata), once
/// decompressed? Folder walks keep what it recognises and skip the rest.
pub fn recognise(file: &str, raw: &[u8], limit: u64) -> bool {
    raw.len() as u64 <= limit
        && decompress(file, raw, limit).is_ok_and(|(text, _)| sniff(file, &text).is_ok())
}

/// [`parse`] with options.
pub fn parse_with(file: &str, raw: &[u8], opts: &Options) -> Result<Loaded, ReadError> {
    let limit = opts.limit;
    if raw.len() as u64 > limit {
        return Err(ReadError::new(
            file,
            format!("file is {} bytes, over the limit of {limit}", raw.len()),
        ));
    }
    let sha256 = sha256_hex(raw);
    let (text, compression) = decompress(file, raw, limit)?;
    let kind = sniff(file, &text)?;
    // A UTF-8 byte-order mark is not part of JSON, tag-value or TOML text (the XML reader
    // handles its own).
    let text: &[u8] = match kind {
        Sniffed::CycloneDxXml => &text,
        _ => text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&text),
    };
    let utf8 = |t: &[u8]| {
        std::str::from_utf8(t).map(|s| s.to_string()).map_err(|e| {
            ReadError::new(file, "text is not valid UTF-8")
                .at(ReadError::line_col(t, e.valid_up_to()))
        })
    };
    let mut doc = match kind {
        Sniffed::CycloneDxJson | Sniffed::CycloneDxXml => {
            let mut inv = if kind == Sniffed::CycloneDxJson {
                cyclonedx::json::read(file, text)?
            } else {
                cyclonedx::xml::read(file, text)?
            };
            if opts.strict {
                let found = strict_diagnostics(file, text, kind).unwrap_or_else(|| {
                    cyclonedx::validate::validate(
                        file,
                        text,
                        &inv.format.version,
                        inv.format.encoding,
                    )
                });
                inv.diagnostics.extend(found);
            }
            Document::Sbom(Box::new(inv))
        }
        Sniffed::SpdxJson => {
            let mut inv = spdx::json::read(file, text)?;
            if opts.strict {
                inv.diagnostics
                    .extend(strict_diagnostics(file, text, kind).unwrap_or_default());
            }
            Document::Sbom(Box::new(inv))
        }
        Sniffed::Spdx3Json => Document::Sbom(Box::new(spdx::v3::read(file, text)?)),
        Sniffed::SpdxTagValue => {
            Document::Sbom(Box::new(spdx::tag_value::read(file, &utf8(text)?)?))
        }
        Sniffed::Manifest => Document::Manifest(Box::new(manifest::read(file, &utf8(text)?)?)),
        Sniffed::CargoMetadata => Document::Sbom(Box::new(cargo::read(file, &utf8(text)?)?)),
    };
    let format = match &doc {
        Document::Sbom(inv) => inv.format.to_string(),
        Document::Manifest(_) => Format {
            standard: "coquille-bid".into(),
            version: "1".into(),
            encoding: Encoding::Toml,
        }
        .to_string(),
    };
    if let Document::Sbom(inv) = &mut doc {
        check_lengths(file, inv)?;
        // The readers grow these as they stream; what is read is kept for the whole run, so
        // give back the spare capacity (up to half of a vector grown by doubling).
        inv.components.shrink_to_fit();
        inv.services.shrink_to_fit();
        inv.relations.shrink_to_fit();
        inv.shared_refs = crate::model::SharedRefs::default();
    }
    Ok(Loaded {
        input: InputFile {
            path: file.to_string(),
            sha256,
            bytes: raw.len() as u64,
            format,
            compression: compression.map(str::to_string),
        },
        extra: Vec::new(),
        doc,
    })
}

/// The JSON documents of the shared corpus (decompressed) that contain `marker`, sorted by
/// path; `None`, with a message, when ../shared/corpus is absent.
#[cfg(test)]
pub(crate) fn corpus_json_documents(marker: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !root.is_dir() {
        eprintln!("skipped: ../shared/corpus is absent");
        return None;
    }
    let mut stack = vec![root];
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.display().to_string();
            if !(name.ends_with(".json") || name.ends_with(".json.xz")) {
                continue;
            }
            let raw = std::fs::read(&p).unwrap();
            let (text, _) = decompress(&name, &raw, 1 << 30).unwrap();
            if memchr::memmem::find(&text, marker).is_some() {
                out.push((name, text.into_owned()));
            }
        }
    }
    out.sort();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_from_content() {
        assert_eq!(
            sniff("a", b" {\"bomFormat\":\"CycloneDX\"}").unwrap(),
            Sniffed::CycloneDxJson
        );
        assert_eq!(
            sniff("a", b"{\"spdxVersion\":\"SPDX-2.3\"}").unwrap(),
            Sniffed::SpdxJson
        );
        assert_eq!(
            sniff(
                "a",
                b"<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>"
            )
            .unwrap(),
            Sniffed::CycloneDxXml
        );
        assert_eq!(
            sniff("a", b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n").unwrap(),
            Sniffed::SpdxTagValue
        );
        assert_eq!(
            sniff("a", b"schema = \"coquille.bid/1\"\n").unwrap(),
            Sniffed::Manifest
        );
        let e = sniff("a.json", b"{\"hello\": 1}").unwrap_err();
        assert!(
            e.to_string().contains("supported: CycloneDX 1.2-1.7"),
            "{e}"
        );
        assert!(sniff("a", b"").is_err());
    }

    #[test]
    fn gzip_is_undone_and_bombs_are_refused() {
        use std::io::Write;
        let doc = br#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}"#;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(doc).unwrap();
        let gz = gz.finish().unwrap();
        let loaded = parse("bom.json.gz", &gz, 1 << 20).unwrap();
        assert_eq!(loaded.input.format, "cyclonedx-1.5+json");
        assert_eq!(loaded.input.compression.as_deref(), Some("gzip"));
        assert_eq!(loaded.input.sha256, sha256_hex(&gz));
        let big = vec![b' '; 10_000];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&big).unwrap();
        let e = parse("bomb.gz", &gz.finish().unwrap(), 1000).unwrap_err();
        assert!(e.message.contains("exceeds the limit"), "{e}");
    }

    /// A 112-byte xz file of `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1}`
    /// (made with `xz --check=crc32`).
    const SMALL_XZ: [u8; 112] = [
        253, 55, 122, 88, 90, 0, 0, 1, 105, 34, 222, 54, 2, 0, 33, 1, 22, 0, 0, 0, 116, 47, 229,
        163, 224, 0, 56, 0, 54, 93, 0, 61, 136, 136, 71, 51, 251, 71, 51, 240, 144, 254, 147, 14,
        9, 125, 166, 14, 128, 248, 121, 45, 101, 8, 88, 165, 133, 4, 210, 100, 224, 26, 157, 88,
        25, 137, 6, 87, 40, 114, 209, 119, 104, 67, 69, 50, 101, 223, 77, 32, 213, 221, 244, 47, 0,
        0, 0, 0, 189, 2, 128, 163, 0, 1, 78, 57, 168, 95, 121, 17, 144, 66, 153, 13, 1, 0, 0, 0, 0,
        1, 89, 90,
    ];

    #[test]
    fn xz_is_undone_within_the_limit_and_huge_dictionaries_are_refused() {
        let (out, kind) = decompress("a.json.xz", &SMALL_XZ, 1 << 20).unwrap();
        assert_eq!(kind, Some("xz"));
        assert!(out.starts_with(b"{\"bomFormat\""));
        let e = decompress("a.json.xz", &SMALL_XZ, 10).unwrap_err();
        assert!(e.message.contains("exceeds the limit"), "{e}");
        // The same file whose block asks for a 4 GiB dictionary (LZMA2 dictionary code 40),
        // its block-header CRC32 recomputed: refused before anything is allocated.
        let mut bomb = SMALL_XZ;
        bomb[16] = 40;
        let mut crc = flate2::Crc::new();
        crc.update(&bomb[12..20]);
        bomb[20..24].copy_from_slice(&crc.sum().to_le_bytes());
        let e = decompress("bomb.json.xz", &bomb, 1 << 20).unwrap_err();
        assert!(e.message.contains("dictionary over 256 MiB"), "{e}");
    }

    #[test]
    fn concatenated_zstd_frames_are_one_stream_and_bombs_are_refused() {
        use ruzstd::encoding::{CompressionLevel, compress_to_vec};
        let mut z = compress_to_vec(
            &br#"{"bomFormat":"CycloneDX","#[..],
            CompressionLevel::Fastest,
        );
        // A skippable frame between the two halves, as some tools write metadata.
        z.extend_from_slice(&0x184D_2A50u32.to_le_bytes());
        z.extend_from_slice(&3u32.to_le_bytes());
        z.extend_from_slice(b"abc");
        z.extend(compress_to_vec(
            &br#""specVersion":"1.5","components":[]}"#[..],
            CompressionLevel::Fastest,
        ));
        let loaded = parse("two.json.zst", &z, 1 << 20).unwrap();
        assert_eq!(loaded.input.format, "cyclonedx-1.5+json");
        let zeros = compress_to_vec(&vec![b' '; 100_000][..], CompressionLevel::Fastest);
        let e = decompress("bomb.zst", &zeros, 1000).unwrap_err();
        assert!(e.message.contains("exceeds the limit"), "{e}");
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
