//! Finding URLs, bare host names and provider environment variable names in
//! a piece of text (the value of a string literal, or an included file).

use super::HitKind;

/// Environment variable and configuration key prefixes that name a cloud
/// provider, with the provider they name. The first matching prefix wins;
/// none is a prefix of another.
pub const ENV_PREFIXES: &[(&str, &str)] = &[
    ("AWS_", "Amazon Web Services"),
    ("AMAZON_", "Amazon"),
    ("AZURE_", "Microsoft Azure"),
    ("ARM_", "Microsoft Azure (Resource Manager)"),
    ("MSAL_", "Microsoft (MSAL, Entra ID)"),
    ("GOOGLE_", "Google Cloud"),
    ("GCP_", "Google Cloud"),
    ("GCLOUD_", "Google Cloud"),
    ("CLOUDSDK_", "Google Cloud (Cloud SDK)"),
    ("ALIBABA_CLOUD_", "Alibaba Cloud"),
    ("ALICLOUD_", "Alibaba Cloud"),
    ("ALIYUN_", "Alibaba Cloud"),
    ("OSS_", "Alibaba Cloud (Object Storage Service)"),
    ("OVH_", "OVHcloud"),
    ("SCW_", "Scaleway"),
    ("SCALEWAY_", "Scaleway"),
    ("TENCENTCLOUD_", "Tencent Cloud"),
    ("HUAWEICLOUD_", "Huawei Cloud"),
    ("ORACLE_", "Oracle"),
    ("OCI_", "Oracle Cloud Infrastructure"),
    ("IBMCLOUD_", "IBM Cloud"),
    ("DIGITALOCEAN_", "DigitalOcean"),
    ("CLOUDFLARE_", "Cloudflare"),
];

/// File extensions that make a dotted token a file name rather than a host.
const FILE_EXTENSIONS: &[&str] = &[
    "rs", "toml", "json", "yaml", "yml", "txt", "md", "html", "htm", "css", "js", "mjs", "ts",
    "png", "jpg", "jpeg", "gif", "svg", "ico", "lock", "so", "dll", "dylib", "exe", "sh", "py",
    "xml", "csv", "log", "ini", "cfg", "conf", "gz", "tgz", "zip", "tar", "xz", "zst", "bz2",
    "pem", "crt", "der", "wasm", "proto", "bin", "dat", "rlib", "sql", "db",
];

/// Schemes without a network host.
const SCHEMES_WITHOUT_HOST: &[&str] = &["file", "data", "about", "blob", "urn"];

/// One finding in a text, at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub kind: HitKind,
    pub text: String,
    pub detail: Option<String>,
}

/// The provider an environment variable name points to, if any.
pub fn env_provider(name: &str) -> Option<&'static str> {
    let shaped = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if !shaped {
        return None;
    }
    ENV_PREFIXES
        .iter()
        .find(|(prefix, _)| name.len() > prefix.len() && name.starts_with(prefix))
        .map(|&(_, provider)| provider)
}

/// URLs, bare hosts and provider variable names in `text`, in text order.
pub fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    urls(text, &mut out, &mut taken);
    hosts(text, &taken, &mut out);
    env_names(text, &mut out);
    out.sort_by(|a, b| a.start.cmp(&b.start).then(a.kind.cmp(&b.kind)));
    out
}

fn is_scheme_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-')
}

fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '"' | '\'' | '<' | '>' | '`' | '|' | '^' | '\\')
}

fn urls(text: &str, out: &mut Vec<Found>, taken: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    let mut done = 0;
    for sep in memchr::memmem::find_iter(bytes, b"://") {
        if sep < done {
            continue;
        }
        let mut start = sep;
        while start > done && is_scheme_byte(bytes[start - 1]) {
            start -= 1;
        }
        // A scheme begins with a letter.
        while start < sep && !bytes[start].is_ascii_alphabetic() {
            start += 1;
        }
        if start == sep {
            continue;
        }
        let scheme = text[start..sep].to_ascii_lowercase();
        if SCHEMES_WITHOUT_HOST.contains(&scheme.as_str()) {
            continue;
        }
        let rest = &text[sep + 3..];
        let len = rest.find(ends_url).unwrap_or(rest.len());
        let url = trim_url(&text[start..sep + 3 + len]);
        let Some(host) = host_of(&url[scheme.len() + 3..]) else {
            continue;
        };
        done = start + url.len();
        taken.push((start, done));
        out.push(Found {
            start,
            kind: HitKind::Url,
            text: url.to_string(),
            detail: Some(host),
        });
    }
}

/// Drop trailing sentence punctuation and unbalanced closing brackets.
fn trim_url(url: &str) -> &str {
    let mut url = url;
    loop {
        let count = |c: char| url.matches(c).count();
        let unbalanced = |open: char, close: char| count(close) > count(open);
        let drop = match url.chars().last() {
            Some('.' | ',' | ';' | ':' | '!' | '?') => true,
            Some(')') => unbalanced('(', ')'),
            Some(']') => unbalanced('[', ']'),
            Some('}') => unbalanced('{', '}'),
            _ => false,
        };
        if !drop {
            return url;
        }
        url = &url[..url.len() - 1];
    }
}

/// The host of a URL after `scheme://`, lowercased; `None` when it has no
/// letter or digit outside `{…}` placeholders (as in `"https://{}"`).
fn host_of(after_scheme: &str) -> Option<String> {
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(host)
    } else {
        match host.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => host,
        }
    };
    let mut depth = 0usize;
    let mut solid = false;
    for c in host.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphanumeric() => solid = true,
            _ => {}
        }
    }
    solid.then(|| host.to_lowercase())
}

/// Whether a token looks like a host name: at least two dots, only
/// `[a-z0-9.-]`, labels well formed, a letter top-level domain of two or
/// more letters that is not a common file extension.
pub fn is_bare_host(token: &str) -> bool {
    if token.len() > 253
        || !token
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return false;
    }
    let labels: Vec<&str> = token.split('.').collect();
    if labels.len() < 3 {
        return false;
    }
    let labels_ok = labels
        .iter()
        .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'));
    let tld = labels[labels.len() - 1];
    labels_ok
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_lowercase())
        && !FILE_EXTENSIONS.contains(&tld)
}

fn hosts(text: &str, taken: &[(usize, usize)], out: &mut Vec<Found>) {
    let is_token = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_');
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !is_token(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_token(bytes[i]) {
            i += 1;
        }
        if taken.iter().any(|&(a, b)| start < b && a < i) {
            continue;
        }
        let raw = &text[start..i];
        let token = raw.trim_start_matches('.');
        let lead = raw.len() - token.len();
        let token = token.trim_end_matches('.');
        if is_bare_host(token) {
            out.push(Found {
                start: start + lead,
                kind: HitKind::Url,
                text: token.to_string(),
                detail: Some(token.to_string()),
            });
        }
    }
}

fn env_names(text: &str, out: &mut Vec<Found>) {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !is_word(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_word(bytes[i]) {
            i += 1;
        }
        let word = &text[start..i];
        if let Some(provider) = env_provider(word) {
            out.push(Found {
                start,
                kind: HitKind::EnvVar,
                text: word.to_string(),
                detail: Some(provider.to_string()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<(HitKind, String, Option<String>)> {
        find(s)
            .into_iter()
            .map(|f| (f.kind, f.text, f.detail))
            .collect()
    }

    #[test]
    fn urls_with_their_hosts() {
        let found = find("see https://myacct.blob.core.windows.net/c?x=1, then s3://bucket/key.");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].start, 4);
        assert_eq!(found[0].text, "https://myacct.blob.core.windows.net/c?x=1");
        assert_eq!(
            found[0].detail.as_deref(),
            Some("myacct.blob.core.windows.net")
        );
        assert_eq!(found[1].text, "s3://bucket/key");
        assert_eq!(found[1].detail.as_deref(), Some("bucket"));
        let t = texts("(https://user:pw@Example.COM:8443/a) [wss://x.io]");
        assert_eq!(t[0].1, "https://user:pw@Example.COM:8443/a");
        assert_eq!(t[0].2.as_deref(), Some("example.com"));
        assert_eq!(t[1].1, "wss://x.io");
    }

    #[test]
    fn placeholders_stay_in_urls_and_empty_hosts_are_dropped() {
        let t = texts("https://{account}.blob.core.windows.net/{container}");
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(
            t[0].1,
            "https://{account}.blob.core.windows.net/{container}"
        );
        assert!(texts("https://{}/{}").is_empty());
        assert!(texts("file:///etc/passwd").is_empty());
        assert!(texts("{}://{}").is_empty());
    }

    #[test]
    fn bare_hosts_but_not_file_names() {
        let t = texts("endpoint s3.eu-west-1.amazonaws.com.");
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].1, "s3.eu-west-1.amazonaws.com");
        assert_eq!(t[0].0, HitKind::Url);
        assert_eq!(texts("{bucket}.s3.amazonaws.com")[0].1, "s3.amazonaws.com");
        for not_host in [
            "config.toml",
            "app.prod.toml",
            "foo.tar.gz",
            "example.com",
            "v1.2.3",
            "Foo.Bar.Baz",
            "a..b.com",
            "x.-y.com",
            "my_bucket.s3.amazonaws.com",
            "a.b.c",
        ] {
            assert!(texts(not_host).is_empty(), "{not_host}");
        }
        assert!(is_bare_host("myaccount.blob.core.windows.net"));
    }

    #[test]
    fn provider_variables() {
        let t = texts("AWS_REGION=eu-west-3 ${AZURE_STORAGE_ACCOUNT} OCI_ DO_TOKEN aws_region");
        assert_eq!(
            t,
            vec![
                (
                    HitKind::EnvVar,
                    "AWS_REGION".into(),
                    Some("Amazon Web Services".into())
                ),
                (
                    HitKind::EnvVar,
                    "AZURE_STORAGE_ACCOUNT".into(),
                    Some("Microsoft Azure".into())
                ),
            ]
        );
        assert_eq!(
            env_provider("DIGITALOCEAN_ACCESS_TOKEN"),
            Some("DigitalOcean")
        );
        assert_eq!(
            env_provider("ALIBABA_CLOUD_ACCESS_KEY_ID"),
            Some("Alibaba Cloud")
        );
        assert_eq!(env_provider("CARGO_MANIFEST_DIR"), None);
    }

    #[test]
    fn no_prefix_shadows_another() {
        for (i, (a, _)) in ENV_PREFIXES.iter().enumerate() {
            for (b, _) in &ENV_PREFIXES[i + 1..] {
                assert!(!a.starts_with(b) && !b.starts_with(a), "{a} {b}");
            }
        }
    }
}
