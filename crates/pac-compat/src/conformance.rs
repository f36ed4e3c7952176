//! Conformance: does an implementation provide what a contract asks for?
//!
//! It is the version comparison with the contract as the old side and the implementation as the
//! new one ([`super::compare`]): a request the contract allows must be accepted, and a response it
//! promises must still be understood by the contract's callers. What the implementation adds
//! (operations, optional parameters, response properties) is allowed. Each operation of the
//! contract, and each of its webhooks (`WEBHOOK <name> <METHOD>`: the implementation must send it
//! as the contract says), is one requirement, met when no breaking change concerns it;
//! possibly-breaking changes are kept beside it as warnings.

use serde::Serialize;
use serde_json::Value;

use super::context::{operations, path_key, webhooks};
use super::{Change, Level, Report};
use pac_spec::Description;

/// One operation of the contract and what stops the implementation from providing it.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    /// `GET /forces/{id}`, as the contract writes it.
    pub operation: String,
    pub met: bool,
    /// The breaking changes: why the requirement is not met.
    pub reasons: Vec<Change>,
    /// Possibly-breaking changes: the requirement is met, but a caller may notice these.
    pub warnings: Vec<Change>,
}

/// The result of checking an implementation against a contract.
#[derive(Debug, Clone, Serialize)]
pub struct Conformance {
    pub conformant: bool,
    /// Requirements met and not met.
    pub met: usize,
    pub not_met: usize,
    /// One per contract operation, ordered by method, then path.
    pub requirements: Vec<Requirement>,
}

/// Checks the normalised `implementation` against the normalised `contract`.
pub fn conform(contract: &Value, implementation: &Value) -> Conformance {
    group(contract, super::compare(contract, implementation))
}

/// [`conform`] on two loaded descriptions, with each reason located in its original file.
pub fn conform_descriptions(contract: &Description, implementation: &Description) -> Conformance {
    let mut report = super::compare(&contract.normalised, &implementation.normalised);
    super::locate(&mut report, contract, implementation);
    group(&contract.normalised, report)
}

fn group(contract: &Value, report: Report) -> Conformance {
    let ops = operations(contract);
    let hooks = webhooks(contract);
    let all = ops
        .iter()
        .map(|(k, op)| (k.clone(), op))
        .chain(hooks.iter().map(|(k, op)| (format!("webhook {k}"), op)));
    let (keys, mut requirements): (Vec<String>, Vec<Requirement>) = all
        .map(|(key, op)| {
            let requirement = Requirement {
                operation: op.label(),
                met: true,
                reasons: Vec::new(),
                warnings: Vec::new(),
            };
            (key, requirement)
        })
        .unzip();
    for change in report.changes {
        // What the implementation adds or relaxes is no concern of the contract's.
        if change.level == Level::NonBreaking {
            continue;
        }
        let key = change.operation.as_deref().map(operation_key);
        let index = key.and_then(|k| keys.iter().position(|c| *c == k));
        let Some(requirement) = index.map(|i| &mut requirements[i]) else {
            // Every change the engine reports names its operation; should one not, it is still
            // a reason the implementation does not conform, so it is not dropped.
            requirements.push(Requirement {
                operation: change
                    .operation
                    .clone()
                    .unwrap_or_else(|| "(document)".into()),
                met: change.level != Level::Breaking,
                reasons: Vec::new(),
                warnings: Vec::new(),
            });
            let last = requirements.len() - 1;
            push(&mut requirements[last], change);
            continue;
        };
        push(requirement, change);
    }
    let met = requirements.iter().filter(|r| r.met).count();
    Conformance {
        conformant: met == requirements.len(),
        met,
        not_met: requirements.len() - met,
        requirements,
    }
}

fn push(requirement: &mut Requirement, change: Change) {
    if change.level == Level::Breaking {
        requirement.met = false;
        requirement.reasons.push(change);
    } else {
        requirement.warnings.push(change);
    }
}

/// `GET /forces/{forceId}` → `get /forces/{}`: the key [`operations`] matches operations by,
/// whichever side wrote the label; `WEBHOOK newPet POST` → `webhook newPet post`.
fn operation_key(label: &str) -> String {
    if let Some(hook) = label.strip_prefix("WEBHOOK ") {
        let (name, method) = hook.rsplit_once(' ').unwrap_or((hook, ""));
        return format!("webhook {name} {}", method.to_ascii_lowercase());
    }
    let (method, path) = label.split_once(' ').unwrap_or((label, ""));
    format!("{} {}", method.to_ascii_lowercase(), path_key(path))
}

impl Conformance {
    /// Plain text for a terminal: the verdict, then each requirement not met with its reasons.
    pub fn text(&self, contract: &str, implementation: &str) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let verdict = if self.conformant {
            "conforms to"
        } else {
            "does not conform to"
        };
        let _ = writeln!(
            out,
            "{implementation} {verdict} {contract}: {} of {} requirements met",
            self.met,
            self.requirements.len()
        );
        for r in &self.requirements {
            let mark = if r.met { "met    " } else { "NOT MET" };
            let _ = writeln!(out, "  {mark} {}", r.operation);
            for c in r.reasons.iter().chain(&r.warnings) {
                let place = c
                    .location
                    .as_ref()
                    .and_then(|l| Some(format!(" ({}:{})", l.file.as_deref()?, l.line?)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "          {} [{}] {}{place}",
                    c.level.as_str(),
                    c.id,
                    c.message
                );
            }
        }
        out
    }

    /// A Markdown report: a table of requirements, then the reasons of each one not met.
    pub fn markdown(&self, contract: &str, implementation: &str) -> String {
        use std::fmt::Write;
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let mut out = format!(
            "# Conformance of {} to {}\n\n**{}**: {} of {} requirements met.\n\n| requirement | result |\n|---|---|\n",
            cell(implementation),
            cell(contract),
            if self.conformant {
                "Conformant"
            } else {
                "Not conformant"
            },
            self.met,
            self.requirements.len()
        );
        for r in &self.requirements {
            let _ = writeln!(
                out,
                "| `{}` | {} |",
                cell(&r.operation),
                if r.met { "met" } else { "**not met**" }
            );
        }
        for r in self
            .requirements
            .iter()
            .filter(|r| !r.reasons.is_empty() || !r.warnings.is_empty())
        {
            let _ = writeln!(out, "\n## `{}`\n", cell(&r.operation));
            for c in r.reasons.iter().chain(&r.warnings) {
                let _ = writeln!(
                    out,
                    "- {} `{}`: {}",
                    c.level.as_str(),
                    c.id,
                    cell(&c.message)
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(paths: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    fn get_ok(schema: Value) -> Value {
        json!({"responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": schema}}}}})
    }

    #[test]
    fn extra_operations_and_renamed_parameters_conform() {
        let contract = doc(json!({
            "/forces/{id}": {"get": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}}}
        }));
        let implementation = doc(json!({
            "/forces/{forceId}": {"get": {
                "parameters": [{"name": "forceId", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}}},
            "/crimes": {"get": {"responses": {"200": {"description": "ok"}}}}
        }));
        let c = conform(&contract, &implementation);
        assert!(c.conformant, "{c:#?}");
        assert_eq!((c.met, c.not_met), (1, 0));
        assert_eq!(c.requirements[0].operation, "GET /forces/{id}");
    }

    #[test]
    fn a_missing_operation_and_a_missing_property_are_reasons() {
        let contract = doc(json!({
            "/a": {"get": get_ok(json!({"type": "object", "required": ["id"],
                "properties": {"id": {"type": "string"}}}))},
            "/b": {"post": {"responses": {"201": {"description": "created"}}}}
        }));
        let implementation = doc(json!({
            "/a": {"get": get_ok(json!({"type": "object", "properties": {"other": {"type": "string"}}}))}
        }));
        let c = conform(&contract, &implementation);
        assert!(!c.conformant);
        assert_eq!((c.met, c.not_met), (0, 2));
        let a = &c.requirements[0];
        assert_eq!(a.operation, "GET /a");
        assert!(
            a.reasons
                .iter()
                .any(|r| r.id == "response-property-removed"),
            "{a:#?}"
        );
        let b = &c.requirements[1];
        assert_eq!(b.operation, "POST /b");
        assert_eq!(b.reasons[0].id, "operation-removed");
    }

    #[test]
    fn possibly_breaking_changes_are_warnings_not_failures() {
        let contract =
            doc(json!({"/a": {"get": get_ok(json!({"type": "string", "enum": ["x"]}))}}));
        let implementation =
            doc(json!({"/a": {"get": get_ok(json!({"type": "string", "enum": ["x", "y"]}))}}));
        let c = conform(&contract, &implementation);
        assert!(c.conformant);
        assert_eq!(
            c.requirements[0].warnings[0].id,
            "response-enum-value-added"
        );
    }

    #[test]
    fn a_contract_webhook_is_a_requirement() {
        let hook = |payload: Value| {
            json!({"post": {
                "requestBody": {"content": {"application/json": {"schema": payload}}},
                "responses": {"200": {"description": "received"}}}})
        };
        let with_hooks = |hooks: Value| json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "webhooks": hooks});
        let booked = json!({"type": "object", "required": ["custodyId"],
            "properties": {"custodyId": {"type": "string"}}});
        let contract = with_hooks(json!({"booked": hook(booked), "released": hook(json!({}))}));
        let implementation = with_hooks(json!({"booked": hook(json!({"type": "object"}))}));
        let c = conform(&contract, &implementation);
        assert_eq!((c.met, c.not_met), (0, 2), "{c:#?}");
        let booked = &c.requirements[0];
        assert_eq!(booked.operation, "WEBHOOK booked POST");
        // The payload is what the implementation sends: a property it no longer sends is gone.
        assert_eq!(
            booked.reasons[0].id, "response-property-removed",
            "{booked:#?}"
        );
        let released = &c.requirements[1];
        assert_eq!(released.operation, "WEBHOOK released POST");
        assert_eq!(released.reasons[0].id, "webhook-removed");
        assert!(conform(&contract, &contract).conformant);
    }

    #[test]
    fn reports_render() {
        let contract = doc(json!({"/b": {"post": {"responses": {"201": {"description": "x"}}}}}));
        let c = conform(&contract, &doc(json!({})));
        let text = c.text("ihub 1.0.0", "rms.yaml");
        assert!(
            text.contains("does not conform") && text.contains("NOT MET POST /b"),
            "{text}"
        );
        let md = c.markdown("ihub 1.0.0", "rms.yaml");
        assert!(md.contains("| `POST /b` | **not met** |"), "{md}");
    }
}
