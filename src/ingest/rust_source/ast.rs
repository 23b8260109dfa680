//! The syntax-tree walk: uses of watched crates, string literals (also in
//! macro bodies and attributes), and `include_str!` requests.

use super::text;
use super::{Hit, HitKind};
use proc_macro2::{Delimiter, LineColumn, Literal, Span, TokenStream, TokenTree};
use std::collections::HashMap;
use syn::ext::IdentExt;
use syn::visit::{self, Visit};

/// Deepest bracket nesting accepted (syn's parser recurses per level).
pub const MAX_NESTING: usize = 256;
/// Most tokens accepted in the runs (since the last `;` or `,`) of all open
/// nesting levels together: long operator chains become deep trees that
/// syn parses, walks and drops recursively.
pub const MAX_RUN: usize = 4096;

/// An `include_str!`/`include_bytes!` whose argument is a plain string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub path: String,
    pub line: usize,
}

/// What one file yielded.
#[derive(Debug, Default)]
pub struct Scanned {
    pub hits: Vec<Hit>,
    pub includes: Vec<Include>,
}

/// Lex, check, parse and walk one file. Every span is turned into plain
/// numbers before returning, and the thread's span table is released.
pub fn scan(file: &str, src: &str, crates: &[String]) -> Result<Scanned, String> {
    let out = scan_inner(file, src, crates);
    proc_macro2::extra::invalidate_current_thread_spans();
    out
}

fn scan_inner(file: &str, src: &str, crates: &[String]) -> Result<Scanned, String> {
    let content = strip_preamble(src);
    let tokens: TokenStream = content.parse().map_err(|e: proc_macro2::LexError| {
        let at = e.span().start();
        format!(
            "line {}, column {}: cannot split into tokens (unbalanced bracket, \
             unterminated string or comment, or a character Rust does not allow)",
            at.line,
            at.column + 1
        )
    })?;
    check_shape(&tokens)?;
    let ast: syn::File = syn::parse2(tokens).map_err(|e| {
        let at = e.span().start();
        format!("line {}, column {}: {e}", at.line, at.column + 1)
    })?;
    let mut watched: HashMap<String, String> = crates
        .iter()
        .map(|c| c.trim().replace('-', "_"))
        .filter(|c| !c.is_empty())
        .map(|c| (c.clone(), c))
        .collect();
    let mut aliases = Aliases {
        watched: &watched,
        found: Vec::new(),
    };
    aliases.visit_file(&ast);
    for (alias, krate) in aliases.found {
        watched.entry(alias).or_insert(krate);
    }
    let mut walker = Walker {
        file,
        watched: &watched,
        out: Scanned::default(),
    };
    walker.visit_file(&ast);
    Ok(walker.out)
}

/// What `syn::parse_file` strips: a byte-order mark and a shebang line (the
/// line break stays, so line numbers do not move).
fn strip_preamble(src: &str) -> &str {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if let Some(rest) = src.strip_prefix("#!") {
        let attr = rest.trim_start().starts_with('[');
        if !attr {
            return src.find('\n').map_or("", |i| &src[i..]);
        }
    }
    src
}

/// Refuse inputs whose shape would make syn recurse too deeply: bracket
/// nesting past [`MAX_NESTING`], or more than [`MAX_RUN`] tokens with no
/// `;` or `,` across the open levels. Macro bodies are not parsed by syn and
/// are exempt.
fn check_shape(tokens: &TokenStream) -> Result<(), String> {
    struct Level {
        tokens: std::vec::IntoIter<TokenTree>,
        run: usize,
        brace: bool,
    }
    let level = |stream: TokenStream, brace: bool| Level {
        tokens: stream.into_iter().collect::<Vec<_>>().into_iter(),
        run: 0,
        brace,
    };
    let mut stack = vec![level(tokens.clone(), false)];
    // Tokens in the open runs of every level: syn may recurse through all.
    let mut open = 0usize;
    // What came just before, at this level.
    let mut prev = Prev::Other;
    while let Some(top) = stack.last_mut() {
        let Some(tt) = top.tokens.next() else {
            open -= top.run;
            let brace = top.brace;
            stack.pop();
            prev = if brace { Prev::Brace } else { Prev::Other };
            continue;
        };
        // A `{…}` block followed by a new item or statement ends a run, as
        // `;` does (`fn a() {} fn b() {}`); `else`, `as` and operators go on.
        let next_item = match &tt {
            TokenTree::Ident(i) => !matches!(i.to_string().as_str(), "else" | "as"),
            TokenTree::Punct(p) => p.as_char() == '#',
            _ => false,
        };
        if prev == Prev::Brace && next_item {
            open -= top.run;
            top.run = 0;
        }
        // Attributes (doc comments are `#[doc = "…"]`) do not lengthen a run.
        let attribute = match &tt {
            TokenTree::Punct(p) => p.as_char() == '#' || (p.as_char() == '!' && prev == Prev::Hash),
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Bracket && matches!(prev, Prev::Hash | Prev::HashBang)
            }
            _ => false,
        };
        if !attribute {
            top.run += 1;
            open += 1;
        }
        let at = tt.span().start();
        if open > MAX_RUN {
            return Err(format!(
                "line {}: more than {MAX_RUN} tokens without a `;` or `,`; not analysed",
                at.line
            ));
        }
        let mut next = Prev::Other;
        match &tt {
            TokenTree::Punct(p) if matches!(p.as_char(), ';' | ',') => {
                open -= top.run;
                top.run = 0;
            }
            TokenTree::Punct(p) if p.as_char() == '#' => next = Prev::Hash,
            TokenTree::Punct(p) if p.as_char() == '!' => {
                next = match prev {
                    Prev::Name => Prev::MacroBang,
                    Prev::MacroRules => Prev::RulesBang,
                    Prev::Hash => Prev::HashBang,
                    _ => Prev::Other,
                };
            }
            TokenTree::Ident(i) => {
                let word = i.to_string();
                next = match prev {
                    Prev::RulesBang => Prev::MacroBang,
                    _ if word == "macro_rules" => Prev::MacroRules,
                    _ if is_keyword(&word) => Prev::Other,
                    _ => Prev::Name,
                };
            }
            // Macro bodies are not parsed by syn: not checked.
            TokenTree::Group(g) if prev == Prev::MacroBang && g.delimiter() == Delimiter::Brace => {
                next = Prev::Brace;
            }
            TokenTree::Group(_) if prev == Prev::MacroBang => {}
            TokenTree::Group(g) => {
                if stack.len() >= MAX_NESTING {
                    return Err(format!(
                        "line {}: brackets nested more than {MAX_NESTING} deep; not analysed",
                        at.line
                    ));
                }
                stack.push(level(g.stream(), g.delimiter() == Delimiter::Brace));
                prev = Prev::Other;
                continue;
            }
            _ => {}
        }
        prev = next;
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    Other,
    /// An identifier that is not a keyword: `name` in `name!(…)`.
    Name,
    /// `name !`: a group now is a macro body.
    MacroBang,
    MacroRules,
    /// `macro_rules !`: the next identifier is the macro's name.
    RulesBang,
    /// A `{…}` group just closed.
    Brace,
    /// `#` or `# !`: a `[…]` group now is an attribute.
    Hash,
    HashBang,
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "do"
            | "dyn"
            | "else"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "move"
            | "mut"
            | "ref"
            | "return"
            | "static"
            | "try"
            | "unsafe"
            | "where"
            | "while"
            | "yield"
    )
}

/// `use x as y;` and `extern crate x as y;` for watched crates.
struct Aliases<'a> {
    watched: &'a HashMap<String, String>,
    found: Vec<(String, String)>,
}

impl<'ast> Visit<'ast> for Aliases<'_> {
    fn visit_item_use(&mut self, i: &'ast syn::ItemUse) {
        let mut trees = vec![&i.tree];
        while let Some(tree) = trees.pop() {
            match tree {
                syn::UseTree::Rename(r) => {
                    if let Some(k) = self.watched.get(&r.ident.unraw().to_string()) {
                        self.found.push((r.rename.unraw().to_string(), k.clone()));
                    }
                }
                syn::UseTree::Group(g) => trees.extend(g.items.iter()),
                _ => {}
            }
        }
    }

    fn visit_item_extern_crate(&mut self, i: &'ast syn::ItemExternCrate) {
        if let (Some(k), Some((_, rename))) =
            (self.watched.get(&i.ident.unraw().to_string()), &i.rename)
        {
            self.found.push((rename.unraw().to_string(), k.clone()));
        }
    }
}

struct Walker<'a> {
    file: &'a str,
    watched: &'a HashMap<String, String>,
    out: Scanned,
}

const MAX_DETAIL: usize = 200;

fn clip(mut s: String) -> String {
    if s.len() > MAX_DETAIL {
        let mut end = MAX_DETAIL;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}

fn render_use(tree: &syn::UseTree) -> String {
    match tree {
        syn::UseTree::Path(p) => format!("{}::{}", p.ident, render_use(&p.tree)),
        syn::UseTree::Name(n) => n.ident.to_string(),
        syn::UseTree::Rename(r) => format!("{} as {}", r.ident, r.rename),
        syn::UseTree::Glob(_) => "*".into(),
        syn::UseTree::Group(g) => {
            let items: Vec<String> = g.items.iter().map(render_use).collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

impl Walker<'_> {
    fn crate_of(&self, ident: &syn::Ident) -> Option<String> {
        self.watched.get(&ident.unraw().to_string()).cloned()
    }

    fn push(&mut self, at: LineColumn, kind: HitKind, text: String, detail: Option<String>) {
        self.out.hits.push(Hit {
            file: self.file.to_string(),
            line: at.line,
            column: at.column + 1,
            kind,
            text,
            detail,
        });
    }

    fn crate_use(&mut self, ident: &syn::Ident, krate: String, detail: String) {
        self.push(
            ident.span().start(),
            HitKind::UseOfCrate,
            krate,
            Some(clip(detail)),
        );
    }

    fn use_tree(&mut self, tree: &syn::UseTree) {
        let mut trees = vec![tree];
        while let Some(tree) = trees.pop() {
            let ident = match tree {
                syn::UseTree::Path(p) => &p.ident,
                syn::UseTree::Name(n) => &n.ident,
                syn::UseTree::Rename(r) => &r.ident,
                syn::UseTree::Glob(_) => continue,
                syn::UseTree::Group(g) => {
                    trees.extend(g.items.iter());
                    continue;
                }
            };
            if let Some(krate) = self.crate_of(ident) {
                self.crate_use(ident, krate, render_use(tree));
            }
        }
    }

    /// A string's value, found in the literal at `span` whose source text is
    /// `repr`. Each finding gets the line and column where it appears in the
    /// source when it can be found there verbatim, else the literal's start.
    fn string(&mut self, value: &str, span: Span, repr: &str) {
        let found = text::find(value);
        if found.is_empty() {
            return;
        }
        let start = span.start();
        let mut cursor = 0;
        for f in found {
            let mut at = LineColumn {
                line: start.line,
                column: start.column,
            };
            if let Some(pos) = repr.get(cursor..).and_then(|r| r.find(&f.text)) {
                let pos = cursor + pos;
                cursor = pos;
                let before = &repr[..pos];
                match before.rfind('\n') {
                    Some(nl) => {
                        at.line += before.matches('\n').count();
                        at.column = before[nl + 1..].chars().count();
                    }
                    None => at.column += before.chars().count(),
                }
            }
            self.push(at, f.kind, f.text, f.detail);
        }
    }

    fn literal(&mut self, lit: &Literal) {
        match syn::Lit::new(lit.clone()) {
            syn::Lit::Str(s) => self.string(&s.value(), lit.span(), &lit.to_string()),
            syn::Lit::ByteStr(s) => self.bytes(&s.value(), lit.span(), &lit.to_string()),
            syn::Lit::CStr(s) => self.bytes(s.value().as_bytes(), lit.span(), &lit.to_string()),
            _ => {}
        }
    }

    fn bytes(&mut self, value: &[u8], span: Span, repr: &str) {
        if let Ok(value) = std::str::from_utf8(value) {
            self.string(value, span, repr);
        }
    }

    /// A token stream syn leaves unparsed (macro bodies, attribute
    /// arguments, verbatim syntax): string literals, `watched::path`
    /// sequences and nested `include_str!("…")`.
    fn tokens(&mut self, stream: &TokenStream) {
        let mut stack: Vec<Vec<TokenTree>> = vec![stream.clone().into_iter().collect()];
        while let Some(level) = stack.pop() {
            for (i, tt) in level.iter().enumerate() {
                match tt {
                    TokenTree::Literal(lit) => self.literal(lit),
                    TokenTree::Group(g) => stack.push(g.stream().into_iter().collect()),
                    TokenTree::Ident(ident) => self.token_ident(&level, i, ident),
                    TokenTree::Punct(_) => {}
                }
            }
        }
    }

    fn token_ident(&mut self, level: &[TokenTree], i: usize, ident: &proc_macro2::Ident) {
        let punct = |j: usize, c: char| matches!(level.get(j), Some(TokenTree::Punct(p)) if p.as_char() == c);
        let name = ident.to_string();
        if matches!(name.as_str(), "include_str" | "include_bytes")
            && punct(i + 1, '!')
            && let Some(TokenTree::Group(g)) = level.get(i + 2)
        {
            self.include(ident.span(), &g.stream());
            return;
        }
        let name = name.strip_prefix("r#").unwrap_or(&name);
        let Some(krate) = self.watched.get(name).cloned() else {
            return;
        };
        let after_sep = i > 0 && (punct(i - 1, ':') || punct(i - 1, '.'));
        if after_sep || !(punct(i + 1, ':') && punct(i + 2, ':')) {
            return;
        }
        let mut path = name.to_string();
        let mut j = i + 1;
        while punct(j, ':') && punct(j + 1, ':') {
            match level.get(j + 2) {
                Some(TokenTree::Ident(next)) => {
                    path.push_str("::");
                    path.push_str(&next.to_string());
                    j += 3;
                }
                _ => break,
            }
        }
        self.push(
            ident.span().start(),
            HitKind::UseOfCrate,
            krate,
            Some(clip(path)),
        );
    }

    fn include(&mut self, at: Span, args: &TokenStream) {
        if let Some(TokenTree::Literal(lit)) = args.clone().into_iter().next()
            && let syn::Lit::Str(s) = syn::Lit::new(lit)
        {
            self.out.includes.push(Include {
                path: s.value(),
                line: at.start().line,
            });
        }
    }
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_item_use(&mut self, i: &'ast syn::ItemUse) {
        for attr in &i.attrs {
            self.visit_attribute(attr);
        }
        self.use_tree(&i.tree);
    }

    fn visit_item_extern_crate(&mut self, i: &'ast syn::ItemExternCrate) {
        if let Some(krate) = self.crate_of(&i.ident) {
            let detail = match &i.rename {
                Some((_, r)) => format!("extern crate {} as {r}", i.ident),
                None => format!("extern crate {}", i.ident),
            };
            self.crate_use(&i.ident, krate, detail);
        }
        visit::visit_item_extern_crate(self, i);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        if (p.segments.len() >= 2 || p.leading_colon.is_some())
            && let Some(first) = p.segments.first()
            && let Some(krate) = self.crate_of(&first.ident)
        {
            let path: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
            self.crate_use(&first.ident, krate, path.join("::"));
        }
        visit::visit_path(self, p);
    }

    fn visit_lit_str(&mut self, i: &'ast syn::LitStr) {
        let token = i.token();
        self.string(&i.value(), i.span(), &token.to_string());
    }

    fn visit_lit_byte_str(&mut self, i: &'ast syn::LitByteStr) {
        let token = i.token();
        self.bytes(&i.value(), i.span(), &token.to_string());
    }

    fn visit_lit_cstr(&mut self, i: &'ast syn::LitCStr) {
        let token = i.token();
        self.bytes(i.value().as_bytes(), i.span(), &token.to_string());
    }

    /// Documentation is prose about the code, not what it calls: skipped.
    fn visit_attribute(&mut self, i: &'ast syn::Attribute) {
        if !i.path().is_ident("doc") {
            visit::visit_attribute(self, i);
        }
    }

    fn visit_meta_list(&mut self, i: &'ast syn::MetaList) {
        visit::visit_meta_list(self, i);
        self.tokens(&i.tokens);
    }

    fn visit_macro(&mut self, i: &'ast syn::Macro) {
        visit::visit_macro(self, i);
        let name = i.path.segments.last().map(|s| s.ident.to_string());
        if matches!(name.as_deref(), Some("include_str" | "include_bytes")) {
            self.include(i.path.segments[0].ident.span(), &i.tokens);
        }
        self.tokens(&i.tokens);
    }

    fn visit_expr(&mut self, i: &'ast syn::Expr) {
        match i {
            syn::Expr::Verbatim(t) => self.tokens(t),
            _ => visit::visit_expr(self, i),
        }
    }

    fn visit_item(&mut self, i: &'ast syn::Item) {
        // Test code does not ship: `#[cfg(test)]` items and `#[test]` functions are skipped.
        if item_attrs(i).iter().any(is_test_attr) {
            return;
        }
        match i {
            syn::Item::Verbatim(t) => self.tokens(t),
            _ => visit::visit_item(self, i),
        }
    }

    fn visit_type(&mut self, i: &'ast syn::Type) {
        match i {
            syn::Type::Verbatim(t) => self.tokens(t),
            _ => visit::visit_type(self, i),
        }
    }

    fn visit_pat(&mut self, i: &'ast syn::Pat) {
        match i {
            syn::Pat::Verbatim(t) => self.tokens(t),
            _ => visit::visit_pat(self, i),
        }
    }

    fn visit_impl_item(&mut self, i: &'ast syn::ImplItem) {
        match i {
            syn::ImplItem::Verbatim(t) => self.tokens(t),
            _ => visit::visit_impl_item(self, i),
        }
    }

    fn visit_trait_item(&mut self, i: &'ast syn::TraitItem) {
        match i {
            syn::TraitItem::Verbatim(t) => self.tokens(t),
            _ => visit::visit_trait_item(self, i),
        }
    }

    fn visit_foreign_item(&mut self, i: &'ast syn::ForeignItem) {
        match i {
            syn::ForeignItem::Verbatim(t) => self.tokens(t),
            _ => visit::visit_foreign_item(self, i),
        }
    }
}

/// The attributes of an item, for the test-code check.
fn item_attrs(i: &syn::Item) -> &[syn::Attribute] {
    match i {
        syn::Item::Const(x) => &x.attrs,
        syn::Item::Enum(x) => &x.attrs,
        syn::Item::ExternCrate(x) => &x.attrs,
        syn::Item::Fn(x) => &x.attrs,
        syn::Item::ForeignMod(x) => &x.attrs,
        syn::Item::Impl(x) => &x.attrs,
        syn::Item::Macro(x) => &x.attrs,
        syn::Item::Mod(x) => &x.attrs,
        syn::Item::Static(x) => &x.attrs,
        syn::Item::Struct(x) => &x.attrs,
        syn::Item::Trait(x) => &x.attrs,
        syn::Item::TraitAlias(x) => &x.attrs,
        syn::Item::Type(x) => &x.attrs,
        syn::Item::Union(x) => &x.attrs,
        syn::Item::Use(x) => &x.attrs,
        _ => &[],
    }
}

/// `#[test]`, or a `#[cfg(...)]` that names `test` (`cfg(test)`, `cfg(all(test, unix))`).
fn is_test_attr(a: &syn::Attribute) -> bool {
    if a.path().is_ident("test") {
        return true;
    }
    if !a.path().is_ident("cfg") {
        return false;
    }
    match &a.meta {
        syn::Meta::List(l) => l
            .tokens
            .to_string()
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|w| w == "test"),
        _ => false,
    }
}
