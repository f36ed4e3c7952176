//! Every kind of change the engine reports: its stable id, its level and what it means. The ids are
//! part of the interface (CI pipelines and compatibility policies match on them): never renamed.

use super::Level::{self, Breaking, NonBreaking, PossiblyBreaking};

pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    pub summary: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $level:ident, $summary:literal;)*) => {
        $(pub const $name: &str = $id;)*
        pub const RULES: &[Rule] = &[$(Rule { id: $id, level: $level, summary: $summary }),*];
    };
}

rules! {
    OPERATION_REMOVED = "operation-removed", Breaking, "An operation (method and path) is gone.";
    OPERATION_ADDED = "operation-added", NonBreaking, "A new operation.";
    OPERATION_DEPRECATED = "operation-deprecated", NonBreaking, "An operation is now marked deprecated.";
    SUCCESS_STATUS_REMOVED = "success-status-removed", Breaking, "A 2xx response callers relied on is gone.";
    ERROR_STATUS_REMOVED = "error-status-removed", NonBreaking, "A documented non-success response is gone.";
    RESPONSE_STATUS_ADDED = "response-status-added", NonBreaking, "A new documented response status.";
    RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed", Breaking, "A response media type callers could ask for is gone.";
    RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added", NonBreaking, "A new response media type.";
    REQUEST_MEDIA_TYPE_REMOVED = "request-media-type-removed", Breaking, "A request body media type callers could send is no longer accepted.";
    REQUEST_MEDIA_TYPE_ADDED = "request-media-type-added", NonBreaking, "A new request body media type is accepted.";
    REQUEST_BODY_BECAME_REQUIRED = "request-body-became-required", Breaking, "A request body that was optional (or absent) is now required.";
    REQUEST_BODY_ADDED = "request-body-added", NonBreaking, "An optional request body is now accepted.";
    REQUEST_BODY_REMOVED = "request-body-removed", PossiblyBreaking, "The request body is no longer described.";
    REQUEST_PARAMETER_REQUIRED_ADDED = "request-parameter-required-added", Breaking, "A new required parameter.";
    REQUEST_PARAMETER_ADDED = "request-parameter-added", NonBreaking, "A new optional parameter.";
    REQUEST_PARAMETER_REMOVED = "request-parameter-removed", PossiblyBreaking, "A parameter callers send is no longer described (it may be ignored or refused).";
    REQUEST_PARAMETER_BECAME_REQUIRED = "request-parameter-became-required", Breaking, "An optional parameter is now required.";
    REQUEST_PARAMETER_BECAME_OPTIONAL = "request-parameter-became-optional", NonBreaking, "A required parameter is now optional.";
    REQUEST_PROPERTY_REQUIRED_ADDED = "request-property-required-added", Breaking, "A new required property in a request body.";
    REQUEST_PROPERTY_ADDED = "request-property-added", NonBreaking, "A new optional property in a request body.";
    REQUEST_PROPERTY_REMOVED = "request-property-removed", PossiblyBreaking, "A request property callers send is no longer described.";
    REQUEST_PROPERTY_BECAME_REQUIRED = "request-property-became-required", Breaking, "An optional request property is now required.";
    REQUEST_PROPERTY_BECAME_OPTIONAL = "request-property-became-optional", NonBreaking, "A required request property is now optional.";
    REQUEST_TYPE_CHANGED = "request-type-changed", Breaking, "The type or format of a parameter or request property changed.";
    REQUEST_TYPE_WIDENED = "request-type-widened", NonBreaking, "A parameter or request property accepts a wider type (integer to number).";
    REQUEST_ENUM_VALUE_REMOVED = "request-enum-value-removed", Breaking, "A value callers could send is no longer allowed.";
    REQUEST_ENUM_VALUE_ADDED = "request-enum-value-added", NonBreaking, "A new value is accepted.";
    REQUEST_CONSTRAINT_TIGHTENED = "request-constraint-tightened", Breaking, "A minimum, maximum, length, item count, pattern or enumeration on input is stricter.";
    REQUEST_CONSTRAINT_LOOSENED = "request-constraint-loosened", NonBreaking, "A constraint on input is looser.";
    REQUEST_VARIANT_REMOVED = "request-variant-removed", Breaking, "A oneOf/anyOf alternative callers could send is gone.";
    REQUEST_VARIANT_ADDED = "request-variant-added", NonBreaking, "A new oneOf/anyOf alternative is accepted.";
    RESPONSE_PROPERTY_REMOVED = "response-property-removed", Breaking, "A response property callers read is gone.";
    RESPONSE_PROPERTY_BECAME_OPTIONAL = "response-property-became-optional", Breaking, "A response property that was always there may now be missing.";
    RESPONSE_PROPERTY_BECAME_REQUIRED = "response-property-became-required", NonBreaking, "A response property is now always there.";
    RESPONSE_PROPERTY_ADDED = "response-property-added", NonBreaking, "A new response property.";
    RESPONSE_TYPE_CHANGED = "response-type-changed", Breaking, "The type or format of a response value changed.";
    RESPONSE_ENUM_VALUE_ADDED = "response-enum-value-added", PossiblyBreaking, "A response may carry a value callers have not seen.";
    RESPONSE_ENUM_VALUE_REMOVED = "response-enum-value-removed", NonBreaking, "A response value is no longer produced.";
    RESPONSE_VARIANT_ADDED = "response-variant-added", PossiblyBreaking, "A response may take a oneOf/anyOf shape callers have not seen.";
    RESPONSE_VARIANT_REMOVED = "response-variant-removed", NonBreaking, "A oneOf/anyOf response shape is no longer produced.";
    SECURITY_REQUIREMENT_ADDED = "security-requirement-added", Breaking, "Callers must now present credentials they did not need.";
    SECURITY_REQUIREMENT_REMOVED = "security-requirement-removed", NonBreaking, "A credential is no longer required.";
    SECURITY_SCOPE_ADDED = "security-scope-added", Breaking, "A security requirement asks for more OAuth scopes.";
    SECURITY_SCOPE_REMOVED = "security-scope-removed", NonBreaking, "A security requirement asks for fewer OAuth scopes.";
}

/// The level of a rule id.
pub fn level(id: &str) -> Level {
    RULES
        .iter()
        .find(|r| r.id == id)
        .map_or(PossiblyBreaking, |r| r.level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        for id in ids {
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
        }
        assert_eq!(level(OPERATION_REMOVED), Level::Breaking);
    }
}
