//! Normalising evidence before it is looked up: names, purls, hosts, CPEs.

/// Legal-form words dropped from organisation names before matching.
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "sa",
    "sas",
    "sasu",
    "sarl",
    "sàrl",
    "sl",
    "srl",
    "spa",
    "s p a",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "bv",
    "nv",
    "ab",
    "oy",
    "oyj",
    "as",
    "asa",
    "se",
    "kk",
    "pte",
    "pty",
    "pvt",
    "ulc",
    "aps",
];

/// Lowercase, drop `<email>` and `(url)` parts, punctuation to spaces, drop
/// legal suffixes, collapse whitespace: `"Amazon Web Services, Inc."` → `"amazon web services"`.
pub fn name(s: &str) -> String {
    let mut cleaned = String::with_capacity(s.len());
    let mut depth = 0usize;
    for ch in s.chars() {
        match ch {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() => cleaned.extend(c.to_lowercase()),
            '&' => cleaned.push('&'),
            _ => cleaned.push(' '),
        }
    }
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut end = words.len();
    while end > 1 && LEGAL_SUFFIXES.contains(&words[end - 1]) {
        end -= 1;
    }
    words[..end].join(" ")
}

/// Words that, at the end of a company name, place or describe an affiliate of the group
/// the leading words name: countries and regions (English and French), and generic words.
pub fn is_affiliate_word(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "technologies",
        "technology",
        "services",
        "service",
        "solutions",
        "systems",
        "holding",
        "holdings",
        "group",
        "groupe",
        "international",
        "global",
        "africa",
        "afrique",
        "north",
        "nord",
        "west",
        "ouest",
        "mea",
        "emea",
        "middle",
        "east",
        "europe",
        "branch",
        "succursale",
        "filiale",
        "subsidiary",
        "operations",
        "de",
        "du",
        "the",
        "of",
        "and",
        "et",
        "&",
        "maroc",
        "morocco",
        "casablanca",
        "rabat",
    ];
    WORDS.contains(&w) || crate::country::suggest(w).is_some()
}

/// An email address inside a name like `"Jane <jane@corp.example>"`.
pub fn email_in(s: &str) -> Option<String> {
    let at = s.find('@')?;
    let start = s[..at]
        .rfind(|c: char| c.is_whitespace() || c == '<' || c == '(')
        .map_or(0, |i| i + 1);
    let end = s[at..]
        .find(|c: char| c.is_whitespace() || c == '>' || c == ')')
        .map_or(s.len(), |i| at + i);
    let e = s[start..end].trim();
    (e.len() > 3 && e[1..].contains('@')).then(|| e.to_string())
}

fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('%') {
        return std::borrow::Cow::Borrowed(s);
    }
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        // Two hex digits after '%' (read as bytes: what follows may be any UTF-8).
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    std::borrow::Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// `pkg:type/namespace/name` without version, qualifiers or subpath,
/// percent-decoded, lowercased; PyPI names normalised as PEP 503 says.
pub fn purl_key(purl: &str) -> Option<String> {
    let rest = purl.trim().strip_prefix("pkg:")?;
    let rest = rest.split(['#', '?']).next()?;
    let rest = rest.trim_start_matches('/');
    let (ty, path) = rest.split_once('/')?;
    let ty = ty.to_ascii_lowercase();
    // The version follows the last '@' after the last '/'.
    let path = match path.rfind('/') {
        Some(slash) => match path[slash..].find('@') {
            Some(at) => &path[..slash + at],
            None => path,
        },
        None => path.split('@').next()?,
    };
    let path = percent_decode(path);
    if path.is_empty() {
        return None;
    }
    let pypi = ty == "pypi";
    let mut key = String::with_capacity(5 + ty.len() + path.len());
    key.push_str("pkg:");
    key.push_str(&ty);
    key.push('/');
    // One pass, one allocation: this runs for every component of every SBOM.
    let mut push = |c: char| match c {
        '_' | '.' if pypi => key.push('-'),
        c => key.push(c),
    };
    if path.is_ascii() {
        path.chars()
            .map(|c| c.to_ascii_lowercase())
            .for_each(&mut push);
    } else {
        path.chars()
            .flat_map(char::to_lowercase)
            .for_each(&mut push);
    }
    Some(key)
}

/// The host of a URL or an email address, lowercased, without port or `www.`.
pub fn host(s: &str) -> Option<String> {
    let s = s.trim();
    let host = if let Some((_, domain)) = s.split_once('@').filter(|_| !s.contains("://")) {
        domain
    } else {
        let after = s.split_once("://").map_or(s, |(_, r)| r);
        let after = after.rsplit_once('@').map_or(after, |(_, r)| r);
        after.split(['/', '?', '#']).next()?
    };
    let host = host
        .split(':')
        .next()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'))
    .then_some(host)
}

/// Hosts that serve everyone's code; a package hosted there says nothing of its owner.
pub const FORGE_HOSTS: &[&str] = &[
    "github.com",
    "githubusercontent.com",
    "github.io",
    "gitlab.com",
    "bitbucket.org",
    "sourceforge.net",
    "pypi.org",
    "pythonhosted.org",
    "npmjs.com",
    "npmjs.org",
    "crates.io",
    "docs.rs",
    "nuget.org",
    "maven.org",
    "apache.org",
    "readthedocs.io",
    "readthedocs.org",
    "pkg.go.dev",
    "golang.org",
    "rubygems.org",
    "codeberg.org",
    "googlesource.com",
    "gnu.org",
    "savannah.gnu.org",
    "freedesktop.org",
];

/// Is the host (or a parent domain of it) a code forge or package index?
pub fn is_forge(host: &str) -> bool {
    suffixes(host).any(|s| FORGE_HOSTS.contains(&s))
}

/// `a.b.example.com` → `a.b.example.com`, `b.example.com`, `example.com`, `com`.
pub fn suffixes(host: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(host), |h| h.split_once('.').map(|(_, r)| r))
}

/// `host/owner` of a repository URL on a code forge (`git+https://github.com/Azure/azure-sdk.git`
/// → `github.com/azure`); `None` for other hosts or URLs without an owner.
pub fn repo_owner(url: &str) -> Option<String> {
    let u = url.trim().trim_start_matches("git+");
    let u = u
        .strip_prefix("git@")
        .map(|r| r.replacen(':', "/", 1))
        .unwrap_or_else(|| u.to_string());
    let after = u.split_once("://").map_or(u.as_str(), |(_, r)| r);
    let after = after.rsplit_once('@').map_or(after, |(_, r)| r);
    let mut parts = after.split('/');
    let host = parts.next()?.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    if !matches!(
        host.as_str(),
        "github.com" | "gitlab.com" | "bitbucket.org" | "codeberg.org"
    ) {
        return None;
    }
    let owner = parts.next()?.trim().to_ascii_lowercase();
    (!owner.is_empty()).then(|| format!("{host}/{owner}"))
}

/// The vendor field of a CPE 2.3 (`cpe:2.3:a:vendor:…`) or 2.2 (`cpe:/a:vendor:…`) name.
pub fn cpe_vendor(cpe: &str) -> Option<String> {
    let c = cpe.trim().to_ascii_lowercase();
    let v = if let Some(r) = c.strip_prefix("cpe:2.3:") {
        r.split(':').nth(1)?
    } else if let Some(r) = c.strip_prefix("cpe:/") {
        r.split(':').nth(1)?
    } else {
        return None;
    };
    let v = v.replace("\\", "");
    (!v.is_empty() && v != "*" && v != "-").then_some(v)
}

/// A purl prefix rule (`pkg:npm/@aws-sdk/`) in the same normal form as [`purl_key`].
pub fn purl_prefix(prefix: &str) -> String {
    let p = percent_decode(prefix.trim()).to_lowercase();
    match p.strip_prefix("pkg:pypi/") {
        Some(rest) => format!("pkg:pypi/{}", rest.replace(['_', '.'], "-")),
        None => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(name("Amazon Web Services, Inc."), "amazon web services");
        assert_eq!(name("Microsoft Corporation"), "microsoft");
        assert_eq!(name("OVH SAS"), "ovh");
        assert_eq!(name("Jane Doe <jane@x.org> (https://x.org)"), "jane doe");
        assert_eq!(name("  Dell   Inc "), "dell");
        assert_eq!(name("Inc"), "inc");
        assert_eq!(
            email_in("Jane Doe <jane@x.org>").as_deref(),
            Some("jane@x.org")
        );
        assert_eq!(email_in("no email"), None);
    }

    #[test]
    fn purls() {
        assert_eq!(
            purl_key("pkg:npm/%40aws-sdk/client-s3@3.6.0").as_deref(),
            Some("pkg:npm/@aws-sdk/client-s3")
        );
        assert_eq!(
            purl_key("pkg:npm/@aws-sdk/client-s3@3.6.0").as_deref(),
            Some("pkg:npm/@aws-sdk/client-s3")
        );
        assert_eq!(
            purl_key("pkg:pypi/Azure_Core@1.0?x=y").as_deref(),
            Some("pkg:pypi/azure-core")
        );
        assert_eq!(
            purl_key("pkg:maven/com.amazonaws/aws-java-sdk-s3@1.12#sub").as_deref(),
            Some("pkg:maven/com.amazonaws/aws-java-sdk-s3")
        );
        assert_eq!(
            purl_key("pkg:golang/github.com/aws/aws-sdk-go-v2@v1.2.3").as_deref(),
            Some("pkg:golang/github.com/aws/aws-sdk-go-v2")
        );
        assert_eq!(
            purl_key("pkg:cargo/aws-sdk-s3@1.0.0").as_deref(),
            Some("pkg:cargo/aws-sdk-s3")
        );
        assert_eq!(purl_key("not a purl"), None);
        // A '%' before a multi-byte character is kept as it is, not a panic.
        assert_eq!(purl_key("pkg:npm/%aé@1").as_deref(), Some("pkg:npm/%aé"));
        assert_eq!(
            purl_key("pkg:PyPI/Zope.Interface@5").as_deref(),
            Some("pkg:pypi/zope-interface")
        );
        assert_eq!(
            purl_key("pkg:npm/Ünïcode@1").as_deref(),
            Some("pkg:npm/ünïcode")
        );
    }

    #[test]
    fn hosts_and_cpes() {
        assert_eq!(
            host("https://s3.eu-west-1.amazonaws.com:443/bucket").as_deref(),
            Some("s3.eu-west-1.amazonaws.com")
        );
        assert_eq!(host("aws-sdk@amazon.com").as_deref(), Some("amazon.com"));
        assert_eq!(host("http://www.Dell.com").as_deref(), Some("dell.com"));
        assert_eq!(host("javascript:alert(1)"), None);
        assert!(is_forge("raw.githubusercontent.com"));
        assert_eq!(
            repo_owner("git+https://github.com/Azure/azure-sdk-for-js.git").as_deref(),
            Some("github.com/azure")
        );
        assert_eq!(
            repo_owner("git@github.com:googleapis/teeny-request.git").as_deref(),
            Some("github.com/googleapis")
        );
        assert_eq!(repo_owner("https://example.com/aws/x"), None);
        assert_eq!(repo_owner("https://github.com/"), None);
        assert!(!is_forge("aws.amazon.com"));
        assert_eq!(
            cpe_vendor("cpe:2.3:a:vmware:esxi:8.0:*:*:*:*:*:*:*").as_deref(),
            Some("vmware")
        );
        assert_eq!(
            cpe_vendor("cpe:/o:microsoft:windows_server:2022").as_deref(),
            Some("microsoft")
        );
        assert_eq!(cpe_vendor("cpe:2.3:a:*:x"), None);
    }
}
