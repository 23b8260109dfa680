//! Escaping for every output format. Bid content is adversarial: names,
//! versions and URLs may carry markup, formulas or terminal control codes.

/// Bidirectional marks, embeddings, overrides and isolates: in a name they
/// reorder what a reader sees ("(SU) % 0.06" for "(US) 60.0 %").
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Characters no XML document may contain, even escaped: noncharacters
/// (U+FFFE, U+FFFF and the like).
pub fn is_xml_illegal(c: char) -> bool {
    matches!(c, '\u{fdd0}'..='\u{fdef}') || (c as u32 & 0xfffe) == 0xfffe
}

/// Replace control characters (C0, DEL, C1, bidi overrides) so that a
/// terminal shows them as text instead of obeying them; noncharacters too.
pub fn terminal(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => '\u{fffd}',
            c if is_bidi_control(c) || is_xml_illegal(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Text safe inside a Markdown paragraph or table cell: markup characters are
/// backslash-escaped, `<` and `>` become entities, line breaks become spaces.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in terminal(s).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\u{fffd}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_inert() {
        assert_eq!(terminal("a\x1b[2Jb"), "a\u{fffd}[2Jb");
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            markdown("[x](javascript:alert(1)) | y"),
            "\\[x\\](javascript:alert(1)) \\| y"
        );
        assert_eq!(markdown("a\nb"), "a b");
        assert_eq!(terminal("(\u{202e}US)"), "(\u{fffd}US)");
        assert!(
            is_xml_illegal('\u{fffe}') && is_xml_illegal('\u{ffff}') && is_xml_illegal('\u{1fffe}')
        );
        assert!(!is_xml_illegal('é') && !is_xml_illegal('\u{fffd}'));
    }
}
