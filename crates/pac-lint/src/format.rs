//! The document formats a rule or ruleset can be limited to, by Spectral's names (`oas2`,
//! `oas3`, `oas3_0`, `oas3_1`), and `oas3_2`. Rules for 3.1 apply to 3.2 as well: both describe
//! schemas in JSON Schema 2020-12.

/// The document formats rules can be limited to (Spectral's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Oas2,
    Oas3_0,
    Oas3_1,
    Oas3_2,
}

impl Format {
    pub fn of(format: pac_spec::SpecFormat) -> Format {
        match format {
            pac_spec::SpecFormat::Swagger2 => Format::Oas2,
            pac_spec::SpecFormat::OpenApi30 => Format::Oas3_0,
            pac_spec::SpecFormat::OpenApi31 => Format::Oas3_1,
            pac_spec::SpecFormat::OpenApi32 => Format::Oas3_2,
        }
    }

    /// The format of a description's normalised document: a 2.0 original is converted to 3.0.
    pub fn of_normalised(format: pac_spec::SpecFormat) -> Format {
        match format {
            pac_spec::SpecFormat::Swagger2 => Format::Oas3_0,
            other => Format::of(other),
        }
    }

    /// Whether a rule's format name covers this format.
    pub fn matches(self, name: &str) -> bool {
        match name {
            "oas2" => self == Format::Oas2,
            "oas3" => self != Format::Oas2,
            "oas3_0" | "oas3.0" => self == Format::Oas3_0,
            "oas3_1" | "oas3.1" => matches!(self, Format::Oas3_1 | Format::Oas3_2),
            "oas3_2" | "oas3.2" => self == Format::Oas3_2,
            _ => false,
        }
    }

    pub(crate) fn known(name: &str) -> bool {
        matches!(
            name,
            "oas2" | "oas3" | "oas3_0" | "oas3.0" | "oas3_1" | "oas3.1" | "oas3_2" | "oas3.2"
        )
    }
}
