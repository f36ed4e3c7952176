//! Every kind of change the engine reports: its stable id, its level and what it means. The ids are
//! part of the interface (CI pipelines and compatibility policies match on them): never renamed.
//!
//! `request-*` ids are about what the provider of the API takes in (parameters, request bodies, and
//! the answers receivers give to its webhooks), `response-*` ids about what it sends out (responses,
//! and the payloads of its webhooks): a webhook's payload is compared like a response, its answers
//! like a request. `webhook-*` ids are about a webhook itself (its presence, headers, media types,
//! statuses); schema changes inside a webhook carry `request-*`/`response-*` ids with the operation
//! `WEBHOOK <name> <METHOD>`.
//!
//! Levels that were a choice rather than a consequence of "input may only widen, output may only
//! narrow" are justified in the summary: a response value that may now be null is breaking (to a
//! caller that reads it as its type, null is as bad as a missing required property); a looser
//! bound on output is possibly-breaking (like a new enumeration value, only callers that relied on
//! the bound notice); a response `const` that changed is breaking (every response now carries a
//! value callers have not seen) while one that was dropped is possibly-breaking (like a dropped
//! enumeration).

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
    REQUEST_CONSTRAINT_TIGHTENED = "request-constraint-tightened", Breaking, "A minimum, maximum (exclusive or not), length, item, property or contains count, multipleOf, uniqueItems, pattern, enumeration, null no longer accepted, or a false schema on input is stricter.";
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
    // JSON Schema 2020-12 (OpenAPI 3.1 and 3.2) and output bounds.
    RESPONSE_TYPE_NARROWED = "response-type-narrowed", NonBreaking, "A response value is no longer produced in one of its types (null included), or is now limited to a type.";
    RESPONSE_BECAME_NULLABLE = "response-became-nullable", Breaking, "A response value may now be null (null in a type list, nullable, x-nullable): breaking, since to a caller that reads it as its type null is as bad as a missing required property.";
    REQUEST_CONST_ADDED = "request-const-added", Breaking, "A parameter or request value must now be one fixed value (const).";
    REQUEST_CONST_CHANGED = "request-const-changed", Breaking, "The one value a parameter or request value must have (const) changed.";
    REQUEST_CONST_REMOVED = "request-const-removed", NonBreaking, "A request value is no longer fixed to one value.";
    RESPONSE_CONST_ADDED = "response-const-added", NonBreaking, "A response value is now always one fixed value (const).";
    RESPONSE_CONST_CHANGED = "response-const-changed", Breaking, "A response value that was always one value (const) is now always another: breaking, since every response carries a value callers have not seen.";
    RESPONSE_CONST_REMOVED = "response-const-removed", PossiblyBreaking, "A response value is no longer fixed to one value: possibly-breaking, like a dropped enumeration, callers may see values they have not.";
    RESPONSE_CONSTRAINT_LOOSENED = "response-constraint-loosened", PossiblyBreaking, "A bound, length, count, pattern, multipleOf or uniqueItems on output is looser, or values may appear where a false schema allowed none: possibly-breaking, since like a new enumeration value only callers that relied on the bound notice.";
    REQUEST_DEPENDENT_REQUIRED_ADDED = "request-dependent-required-added", Breaking, "A request property now needs others sent with it (dependentRequired, or required under then, else or dependentSchemas).";
    REQUEST_DEPENDENT_REQUIRED_REMOVED = "request-dependent-required-removed", NonBreaking, "A request property no longer needs others sent with it.";
    RESPONSE_DEPENDENT_REQUIRED_REMOVED = "response-dependent-required-removed", Breaking, "A response property that always came with others (dependentRequired, then, else, dependentSchemas) may now come without them.";
    RESPONSE_DEPENDENT_REQUIRED_ADDED = "response-dependent-required-added", NonBreaking, "A response property now always comes with others.";
    REQUEST_CONDITION_CHANGED = "request-condition-changed", PossiblyBreaking, "The if condition of a request schema changed: which values must meet its then or else is different.";
    RESPONSE_CONDITION_CHANGED = "response-condition-changed", PossiblyBreaking, "The if condition of a response schema changed: which values meet its then or else is different.";
    REQUEST_PREFIX_ITEM_ADDED = "request-prefix-item-added", NonBreaking, "A new positional item (prefixItems) at the end of a request array.";
    REQUEST_PREFIX_ITEM_REMOVED = "request-prefix-item-removed", PossiblyBreaking, "A positional request item (prefixItems) callers send is no longer described.";
    RESPONSE_PREFIX_ITEM_ADDED = "response-prefix-item-added", NonBreaking, "A new positional item (prefixItems) at the end of a response array.";
    RESPONSE_PREFIX_ITEM_REMOVED = "response-prefix-item-removed", Breaking, "A positional response item (prefixItems) callers read is no longer described.";
    REQUEST_STRING_ENCODING_CHANGED = "request-string-encoding-changed", Breaking, "The contentMediaType or contentEncoding of a request string changed: what callers send is read differently.";
    RESPONSE_STRING_ENCODING_CHANGED = "response-string-encoding-changed", Breaking, "The contentMediaType or contentEncoding of a response string changed: callers decode it wrongly.";
    SCHEMA_COMPARISON_TRUNCATED = "schema-comparison-truncated", PossiblyBreaking, "Schemas nest deeper than the comparison follows (48 levels): what lies below was not compared.";
    // Webhooks (OpenAPI 3.1 and 3.2): the provider sends the request and the receiver answers.
    WEBHOOK_REMOVED = "webhook-removed", Breaking, "A webhook receivers relied on is no longer sent.";
    WEBHOOK_ADDED = "webhook-added", NonBreaking, "A new webhook.";
    WEBHOOK_PARAMETER_REMOVED = "webhook-parameter-removed", Breaking, "A header or parameter a webhook carried is no longer described: receivers that read it break.";
    WEBHOOK_PARAMETER_ADDED = "webhook-parameter-added", NonBreaking, "A webhook carries a new header or parameter.";
    WEBHOOK_PARAMETER_BECAME_OPTIONAL = "webhook-parameter-became-optional", Breaking, "A header or parameter a webhook always carried may now be missing.";
    WEBHOOK_PARAMETER_BECAME_REQUIRED = "webhook-parameter-became-required", NonBreaking, "A header or parameter of a webhook is now always there.";
    WEBHOOK_BODY_REMOVED = "webhook-body-removed", Breaking, "The payload of a webhook is no longer described.";
    WEBHOOK_BODY_ADDED = "webhook-body-added", NonBreaking, "A webhook now describes a payload.";
    WEBHOOK_BODY_BECAME_OPTIONAL = "webhook-body-became-optional", Breaking, "A webhook that always carried a payload may now come without one.";
    WEBHOOK_MEDIA_TYPE_ADDED = "webhook-media-type-added", PossiblyBreaking, "A webhook payload may come in a media type receivers have not handled.";
    WEBHOOK_MEDIA_TYPE_REMOVED = "webhook-media-type-removed", NonBreaking, "A webhook payload no longer comes in a media type.";
    WEBHOOK_RESPONSE_STATUS_REMOVED = "webhook-response-status-removed", PossiblyBreaking, "A status receivers could answer a webhook with is no longer documented: the provider may take it as a failure.";
    WEBHOOK_RESPONSE_STATUS_ADDED = "webhook-response-status-added", NonBreaking, "Receivers may answer a webhook with a new status.";
    WEBHOOK_RESPONSE_MEDIA_TYPE_REMOVED = "webhook-response-media-type-removed", Breaking, "An answer to a webhook in this media type is no longer understood.";
    WEBHOOK_RESPONSE_MEDIA_TYPE_ADDED = "webhook-response-media-type-added", NonBreaking, "Receivers may answer a webhook in a new media type.";
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
        for rule in RULES {
            let prefixed = [
                "operation-",
                "success-",
                "error-",
                "response-",
                "request-",
                "security-",
                "webhook-",
                "schema-",
            ]
            .iter()
            .any(|p| rule.id.starts_with(p));
            assert!(prefixed, "{}", rule.id);
            assert!(rule.summary.ends_with('.'), "{}", rule.id);
        }
    }
}
