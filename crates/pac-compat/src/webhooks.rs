//! Webhooks (OpenAPI 3.1 and 3.2), compared the other way round from operations.
//!
//! For a webhook the provider of the API is the client: it sends the request and the receiver (a
//! caller of the API) answers. So the webhook's headers, parameters and payload are OUTPUT of the
//! provider (compared in the response direction: they may only narrow) and the receiver's answers,
//! the webhook's responses, are INPUT to it (compared in the request direction: they may only
//! widen). A webhook removed is breaking (receivers relying on it no longer get it), one added is
//! not. The webhook's own changes carry `webhook-*` ids; changes inside its schemas carry the
//! `response-*` (payload) and `request-*` (answers) ids, with the operation
//! `WEBHOOK <name> <METHOD>`. Security requirements of a webhook are not compared: they describe
//! what the receiver's endpoint asks of the provider, which the receiver decides.

use serde_json::Value;

use pac_spec::pointer::escape;

use super::Side;
use super::context::{Cx, Op};
use super::operations::{ParameterRules, empty};
use super::rules::*;
use super::schema::Direction;

const WEBHOOK_PARAMETERS: ParameterRules = ParameterRules {
    removed: WEBHOOK_PARAMETER_REMOVED,
    required_added: WEBHOOK_PARAMETER_ADDED,
    added: WEBHOOK_PARAMETER_ADDED,
    became_required: WEBHOOK_PARAMETER_BECAME_REQUIRED,
    became_optional: WEBHOOK_PARAMETER_BECAME_OPTIONAL,
    direction: Direction::Response,
};

impl<'a> Cx<'a> {
    pub(crate) fn webhook(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let deprecated = |op: &Op| op.op.get("deprecated").and_then(Value::as_bool) == Some(true);
        if !deprecated(o) && deprecated(n) {
            self.push(
                OPERATION_DEPRECATED,
                Some(n),
                Side::New,
                n.pointer(),
                format!("{} is now deprecated", n.label()),
            );
        }
        self.parameters(o, n, &WEBHOOK_PARAMETERS);
        self.payload(o, n);
        self.answers(o, n);
    }

    /// The request body the provider sends.
    fn payload(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let body = |cx: &Self, side, op: &Op<'a>| {
            op.op
                .get("requestBody")
                .map(|b| cx.resolve(side, b, format!("{}/requestBody", op.pointer())))
        };
        let required = |b: &Value| b.get("required").and_then(Value::as_bool) == Some(true);
        match (body(self, Side::Old, o), body(self, Side::New, n)) {
            (None, None) => {}
            (None, Some((_, ptr))) => self.push(
                WEBHOOK_BODY_ADDED,
                Some(n),
                Side::New,
                ptr,
                "the webhook now describes a payload".into(),
            ),
            (Some((_, ptr)), None) => self.push(
                WEBHOOK_BODY_REMOVED,
                Some(o),
                Side::Old,
                ptr,
                "the webhook payload is no longer described".into(),
            ),
            (Some((a, a_ptr)), Some((b, b_ptr))) => {
                if required(a) && !required(b) {
                    self.push(
                        WEBHOOK_BODY_BECAME_OPTIONAL,
                        Some(n),
                        Side::New,
                        b_ptr.clone(),
                        "the webhook may now come without a payload".into(),
                    );
                }
                self.content(
                    o,
                    n,
                    (a, a_ptr),
                    (b, b_ptr),
                    Direction::Response,
                    "webhook payload",
                    (WEBHOOK_MEDIA_TYPE_REMOVED, WEBHOOK_MEDIA_TYPE_ADDED),
                );
            }
        }
    }

    /// The responses receivers answer with.
    fn answers(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let responses = |op: &Op<'a>| {
            op.op
                .get("responses")
                .and_then(Value::as_object)
                .unwrap_or(empty())
        };
        let (old, new) = (responses(o), responses(n));
        for (status, r) in old {
            let r_ptr = format!("{}/responses/{}", o.pointer(), escape(status));
            let Some(nr) = new.get(status) else {
                self.push(
                    WEBHOOK_RESPONSE_STATUS_REMOVED,
                    Some(o),
                    Side::Old,
                    r_ptr,
                    format!("answering the webhook with {status} is no longer documented"),
                );
                continue;
            };
            let nr_ptr = format!("{}/responses/{}", n.pointer(), escape(status));
            let a = self.resolve(Side::Old, r, r_ptr);
            let b = self.resolve(Side::New, nr, nr_ptr);
            self.content(
                o,
                n,
                a,
                b,
                Direction::Request,
                &format!("webhook answer {status}"),
                (
                    WEBHOOK_RESPONSE_MEDIA_TYPE_REMOVED,
                    WEBHOOK_RESPONSE_MEDIA_TYPE_ADDED,
                ),
            );
        }
        for status in new.keys() {
            if !old.contains_key(status) {
                self.push(
                    WEBHOOK_RESPONSE_STATUS_ADDED,
                    Some(n),
                    Side::New,
                    format!("{}/responses/{}", n.pointer(), escape(status)),
                    format!("the webhook may now be answered with {status}"),
                );
            }
        }
    }
}
