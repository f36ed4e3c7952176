//! The document formats a rule or ruleset can be limited to, by Spectral's names (`oas2`,
//! `oas3`, `oas3_0`, `oas3_1`).

/// The document formats rules can be limited to (Spectral's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Oas2,
    Oas3_0,
    Oas3_1,
}

impl Format {
    pub fn of(format: pac_spec::SpecFormat) -> Format {
        match format {
            pac_spec::SpecFormat::Swagger2 => Format::Oas2,
            pac_spec::SpecFormat::OpenApi30 => Format::Oas3_0,
            pac_spec::SpecFormat::OpenApi31 => Format::Oas3_1,
        }
    }

    /// Whether a rule's format name covers this format.
    pub fn matches(self, name: &str) -> bool {
        match name {
            "oas2" => self == Format::Oas2,
            "oas3" => self != Format::Oas2,
            "oas3_0" | "oas3.0" => self == Format::Oas3_0,
            "oas3_1" | "oas3.1" => self == Format::Oas3_1,
            _ => false,
        }
    }

    pub(crate) fn known(name: &str) -> bool {
        matches!(
            name,
            "oas2" | "oas3" | "oas3_0" | "oas3.0" | "oas3_1" | "oas3.1" | "oas3_2"
        )
    }
}
