//! Every code a refusal to read a description can carry, defined once with what it means. The
//! service's own table (`pac::error::codes`) takes these in as they are and gives them their HTTP
//! status; its documentation lists them.

use std::fmt;

macro_rules! spec_codes {
    ($($variant:ident = $code:literal: $meaning:literal;)+) => {
        /// A stable, snake_case code: part of the API, never renamed.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum SpecCode { $($variant),+ }

        impl SpecCode {
            pub const ALL: &'static [SpecCode] = &[$(SpecCode::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(SpecCode::$variant => $code),+ }
            }

            /// One line on what the code means, for the documentation and `--help`.
            pub fn meaning(self) -> &'static str {
                match self { $(SpecCode::$variant => $meaning),+ }
            }
        }
    };
}

spec_codes! {
    TooLarge = "spec_too_large": "a file is larger than the size limit, or an archive unpacks to more than four times it";
    Encoding = "spec_encoding": "a file is not UTF-8 text (UTF-16, invalid bytes or control characters)";
    Syntax = "spec_syntax": "a file is not well-formed JSON or YAML";
    TooDeep = "spec_too_deep": "nesting deeper than the depth limit";
    AliasLimit = "spec_alias_limit": "YAML aliases expand beyond the budget (a \"billion laughs\" document)";
    Number = "spec_number": "a number that cannot be represented";
    NotOpenapi = "spec_not_openapi": "the document has no `openapi` or `swagger` version, or is not an object";
    UnsupportedVersion = "spec_unsupported_version": "a version of Swagger or OpenAPI that is not read (only 2.0, 3.0.x and 3.1.x are)";
    Invalid = "spec_invalid": "the document breaks a rule of its specification that the catalogue cannot repair";
    RefCycle = "spec_ref_cycle": "a `$ref` chain that only leads to other `$ref`s";
    RefUnresolved = "spec_ref_unresolved": "a `$ref` the typed model needs does not resolve";
    TooManyOperations = "spec_too_many_operations": "more operations than the limit";
    NoOperations = "spec_no_operations": "the description has paths but none of their operations can be read (their references do not resolve)";
    TooManyFiles = "spec_too_many_files": "a bundle or archive with more files than the limit";
    Archive = "spec_archive": "an archive that cannot be unpacked safely (bad entries, links, paths leaving it)";
    NoRoot = "spec_no_root": "no root document in a bundle, or the file named is not in it";
    AmbiguousRoot = "spec_ambiguous_root": "more than one file of a bundle could be its root document";
    Path = "spec_path": "a path that leaves the folder or archive it was given in";
    Unreadable = "unreadable": "a file or folder named on the command line cannot be read";
    Internal = "spec_internal": "a bug in the reader, never the input's fault";
}

impl fmt::Display for SpecCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tests and callers compare codes with their text.
impl PartialEq<&str> for SpecCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for SpecCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for c in SpecCode::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            assert!(
                c.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_')
            );
            assert!(!c.meaning().is_empty());
        }
    }
}
