use std::collections::HashMap;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{schema_key, Operation, Response, SchemaKey};
use crate::rules::status::is_error;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Compares the body schemas of the error responses (`4xx`, `5xx`, `4XX`,
    /// `5XX` and `default`) of a document. Two schemas are the same when their
    /// `$ref`s lead to the same schema, or when inline schemas are written the
    /// same. The schema most error responses use is the document's error
    /// format; every other schema is reported once, where it is first used,
    /// with the number of responses that use it. When there are more than five
    /// other schemas, the document gets one finding at the most used schema.
    /// The rule is advisory (`info`): a validation error that extends the
    /// common schema with field details is a legitimate second shape.
    ///
    /// ## Why is this bad?
    /// Clients handle errors in one place: they parse the body, show the
    /// message, branch on the code. Each extra error shape is another parser,
    /// and an error path that is never tested until production. One error schema
    /// (RFC 9457 `application/problem+json` is a good one) keeps error handling
    /// uniform.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     post:
    ///       responses:
    ///         '422':
    ///           content:
    ///             application/json: {schema: {$ref: '#/components/schemas/Error'}}
    ///   /customers:
    ///     post:
    ///       responses:
    ///         '422':
    ///           content:
    ///             application/json:
    ///               schema: {type: object, properties: {msg: {type: string}}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /customers:
    ///     post:
    ///       responses:
    ///         '422':
    ///           content:
    ///             application/json: {schema: {$ref: '#/components/schemas/Error'}}
    /// ```
    ///
    /// ## Options
    /// None. Where a second error shape is deliberate, put
    /// `x-backend-check-allow: [OAS039]` on the response.
    pub InconsistentErrorSchema {
        code: "OAS039",
        name: "inconsistent-error-schema",
        checklist: ApiErrors,
        group: Pedantic,
        severity: Info,
        summary: "error responses of one document that use more than one body schema",
    }
}

/// The responses that use one schema: the first, and how many.
struct Use<'a> {
    first: (&'a Operation, &'a Response, At),
    count: usize,
    order: usize,
}

impl InconsistentErrorSchema {
    /// Reports each error schema other than the dominant one, once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut uses: HashMap<SchemaKey, Use<'_>> = HashMap::new();
        for (operation, response) in cx.api.distinct_responses() {
            if !is_error(response) {
                continue;
            }
            let Some((schema_at, schema)) = response.body_schema(cx.docs) else {
                continue;
            };
            let order = uses.len();
            uses.entry(schema_key(cx.docs, schema))
                .or_insert(Use {
                    first: (operation, response, schema_at),
                    count: 0,
                    order,
                })
                .count += 1;
        }
        if uses.len() < 2 {
            return;
        }
        let mut all: Vec<&Use<'_>> = uses.values().collect();
        all.sort_by_key(|u| (std::cmp::Reverse(u.count), u.order));
        let Some((dominant, others)) = all.split_first() else {
            return;
        };
        if others.len() > MAX_REPORTED {
            report_many(cx, sink, dominant, others.len() + 1);
            return;
        }
        for other in others {
            let (operation, response, schema) = other.first;
            let diagnostic = cx
                .diagnostic(
                    &Self::META,
                    schema,
                    message(operation, response, other.count, dominant.count),
                )
                .with_help(help());
            let (_, _, dominant_schema) = dominant.first;
            sink.push(cx.label(
                diagnostic,
                dominant_schema,
                "the schema most error responses use",
            ));
        }
    }
}

/// Beyond this many other schemas, each operation has its own error schema:
/// one finding for the document says more than one per schema.
const MAX_REPORTED: usize = 5;

fn report_many(cx: &Context<'_>, sink: &mut Sink<'_>, dominant: &Use<'_>, schemas: usize) {
    let (operation, response, at) = dominant.first;
    sink.push(
        cx.diagnostic(
            &InconsistentErrorSchema::META,
            at,
            many_message(operation, response, schemas),
        )
        .with_help(help()),
    );
}

fn many_message(operation: &Operation, response: &Response, schemas: usize) -> String {
    format!(
        "error responses use {schemas} different schemas; the most used one is first used by {} of {}",
        response.status,
        operation.describe()
    )
}

fn message(operation: &Operation, response: &Response, count: usize, dominant: usize) -> String {
    let others = if count > 1 {
        format!(" (and {} more)", count - 1)
    } else {
        String::new()
    };
    format!(
        "error response {} of {}{others} uses another schema than the {dominant} error responses that share one",
        response.status,
        operation.describe()
    )
}

fn help() -> &'static str {
    "use one error schema (e.g. a `$ref` to `#/components/schemas/Problem`) for every error response"
}
