//! What a sequence of bytes holds, by its content and never by a name or a media type someone
//! typed: the one sniffer of every way descriptions come in.

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
const GZIP_MAGIC: &[u8] = b"\x1f\x8b";

/// What a sequence of bytes holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Zip,
    /// A gzip stream, read as a .tar.gz.
    TarGz,
    /// Text whose first significant character (after a byte-order mark and white space) opens a
    /// JSON object or array.
    Json,
    /// Anything else: YAML, or something the parser will refuse with a precise error.
    Yaml,
}

impl Sniffed {
    pub fn is_archive(self) -> bool {
        matches!(self, Sniffed::Zip | Sniffed::TarGz)
    }
}

/// Says what `bytes` are, from their first bytes.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC) {
        return Sniffed::Zip;
    }
    if bytes.starts_with(GZIP_MAGIC) {
        return Sniffed::TarGz;
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{' | b'[') => Sniffed::Json,
        _ => Sniffed::Yaml,
    }
}

/// Whether a JSON or YAML text names its specification at the top level (`openapi:` or
/// `swagger:`, as a key at the start of a line, or as a JSON member). A quick look for a folder of
/// files, most of which are parts of descriptions rather than descriptions: a yes is confirmed by
/// reading the file, a no is final.
pub fn declares_openapi(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    if sniff(bytes) == Sniffed::Json {
        return ["\"openapi\"", "\"swagger\""].iter().any(|key| {
            text.match_indices(key)
                .any(|(at, _)| text[at + key.len()..].trim_start().starts_with(':'))
        });
    }
    text.lines().any(|line| {
        let line = line.trim_start_matches(['"', '\'']);
        ["openapi", "swagger"].iter().any(|key| {
            line.strip_prefix(key).is_some_and(|rest| {
                rest.trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with(':')
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_found_at_the_top_level_only() {
        assert!(declares_openapi(b"info: {title: t}\nopenapi: 3.1.0\n"));
        assert!(declares_openapi(b"'swagger': '2.0'\n"));
        assert!(declares_openapi(b"{\"info\": {}, \"openapi\" : \"3.0.0\"}"));
        assert!(!declares_openapi(
            b"type: object\nproperties:\n  openapi: {type: string}\n"
        ));
        assert!(!declares_openapi(
            b"get:\n  summary: the openapi: document\n"
        ));
    }

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(sniff(b"PK\x05\x06"), Sniffed::Zip);
        assert_eq!(sniff(b"\x1f\x8b\x08"), Sniffed::TarGz);
        assert_eq!(sniff(b"  \n{\"openapi\": \"3.0.0\"}"), Sniffed::Json);
        assert_eq!(sniff(b"\xEF\xBB\xBF[1]"), Sniffed::Json);
        assert_eq!(sniff(b"openapi: 3.0.0"), Sniffed::Yaml);
        assert_eq!(sniff(b""), Sniffed::Yaml);
    }
}
