//! Positions in an input's text for an element the readers named: a JSON pointer
//! (`/components/7/purl`) or a manifest key (`layers[3].vendor`), as line and column.
//! SARIF results point there, so that code scanning shows each finding on its evidence.

/// Line and column (1-based, column in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[start..offset].chars().count() + 1;
    (line as u64, col as u64)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The end of the JSON string starting at `i` (on its opening quote), after the closing quote.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// The end of the JSON value starting at `i`. Nesting is counted, not recursed into, so a
/// hostile depth costs nothing.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b'"' => {
                j = string_end(b, j)?;
                if depth == 0 {
                    return Some(j);
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    return Some(j);
                }
                depth -= 1;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            b',' if depth == 0 => return Some(j),
            _ => {}
        }
        j += 1;
    }
    Some(j)
}

/// The byte offset of the value a JSON pointer names, if the text has it.
pub fn json_pointer(text: &str, pointer: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut at = skip_ws(b, 0);
    if pointer.is_empty() {
        return Some(at);
    }
    for raw in pointer.strip_prefix('/')?.split('/') {
        let token = raw.replace("~1", "/").replace("~0", "~");
        match b.get(at)? {
            b'{' => {
                let mut i = skip_ws(b, at + 1);
                loop {
                    if b.get(i)? != &b'"' {
                        return None;
                    }
                    let end = string_end(b, i)?;
                    let key = serde_json::from_str::<String>(&text[i..end]).ok()?;
                    i = skip_ws(b, end);
                    if b.get(i)? != &b':' {
                        return None;
                    }
                    i = skip_ws(b, i + 1);
                    if key == token {
                        at = i;
                        break;
                    }
                    i = skip_ws(b, value_end(b, i)?);
                    match b.get(i)? {
                        b',' => i = skip_ws(b, i + 1),
                        _ => return None,
                    }
                }
            }
            b'[' => {
                let n: usize = token.parse().ok()?;
                let mut i = skip_ws(b, at + 1);
                for _ in 0..n {
                    i = skip_ws(b, value_end(b, i)?);
                    match b.get(i)? {
                        b',' => i = skip_ws(b, i + 1),
                        _ => return None,
                    }
                }
                if matches!(b.get(i)?, b']') {
                    return None;
                }
                at = i;
            }
            _ => return None,
        }
    }
    Some(at)
}

/// The byte offset of the value at a TOML key path (`["tender", "home"]`,
/// `["bids", "2", "path"]`: table keys, and array positions as numbers), if the text has it.
pub fn toml_key(text: &str, path: &[&str]) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut current = None;
    for step in path {
        let next: &toml::Spanned<DeValue> = match current.map(toml::Spanned::get_ref) {
            None => root.get_ref().iter().find(|(k, _)| k.get_ref() == step)?.1,
            Some(DeValue::Table(t)) => t.iter().find(|(k, _)| k.get_ref() == step)?.1,
            Some(DeValue::Array(a)) => a.get(step.parse::<usize>().ok()?)?,
            Some(_) => return None,
        };
        current = Some(next);
    }
    Some(current.map_or(root.span().start, |v| v.span().start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_find_their_value() {
        let t = "{\n  \"a\": {\"x,}\": [1, {\"b\": \"q\\\"]\"}], \"k\": 2},\n  \"components\": [\n    {\"purl\": \"p0\"},\n    {\"name\": \"n\", \"purl\": \"p1\"}\n  ]\n}";
        let at = json_pointer(t, "/components/1/purl").unwrap();
        assert_eq!(&t[at..at + 4], "\"p1\"");
        assert_eq!(line_col(t, at), (5, 27));
        let at = json_pointer(t, "/a/k").unwrap();
        assert_eq!(&t[at..at + 1], "2");
        assert_eq!(
            json_pointer(t, "/a/x,}/1/b").map(|i| &t[i..i + 2]),
            Some("\"q")
        );
        assert!(json_pointer(t, "/components/2").is_none());
        assert!(json_pointer(t, "/nope").is_none());
        assert!(json_pointer("[[[[", "/0/0/0/0/0").is_none());
    }

    #[test]
    fn toml_keys_find_their_value_not_a_comment_that_names_them() {
        let t = "# the home is below\n[tender]\nid = \"x\"\nhome = \"XX\"\n\n[[bids]]\npath = \"a\"\n[[bids]]\npath = \"b\"\n";
        let at = toml_key(t, &["tender", "home"]).unwrap();
        assert_eq!(line_col(t, at), (4, 8));
        let at = toml_key(t, &["bids", "1", "path"]).unwrap();
        assert_eq!(&t[at..at + 3], "\"b\"");
        assert!(toml_key(t, &["tender", "nope"]).is_none());
        assert!(toml_key("not = [toml", &["not"]).is_none());
    }
}
