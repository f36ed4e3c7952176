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

#[cfg(test)]
mod tests {
    use super::*;

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
