use backend_check_core::{declare_rule, Sink};

use crate::load::{At, FileId};
use crate::rules::Context;
use crate::validate;

declare_rule! {
    /// ## What it does
    /// Checks the document against the structure its version defines (Swagger
    /// 2.0, OpenAPI 3.0 or 3.1): unknown keys (typos such as `respones`, or keys
    /// of another version such as `requestBody` in 2.0 or `oneOf` in a 2.0
    /// schema), values of the wrong type (`deprecated: "yes"`, `version: 1.0`
    /// read as a number), missing required keys (`info.version`, a response's
    /// `description`, a parameter's `in`) and malformed `$ref` strings (empty,
    /// with spaces, or with a fragment that is not a JSON pointer).
    ///
    /// ## Why is this bad?
    /// Code generators, gateways and documentation tools reject an invalid
    /// document or, worse, silently drop what they cannot read: a misspelled
    /// `respones` leaves an operation without responses in every generated
    /// client, and `oneOf` in a Swagger 2.0 schema is ignored.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.3
    /// info:
    ///   title: Pets
    /// paths:
    ///   /pets:
    ///     get:
    ///       deprecated: "no"
    ///       respones:
    ///         '200':
    ///           description: the pets
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// openapi: 3.0.3
    /// info:
    ///   title: Pets
    ///   version: 1.0.0
    /// paths:
    ///   /pets:
    ///     get:
    ///       deprecated: false
    ///       responses:
    ///         '200':
    ///           description: the pets
    /// ```
    ///
    /// ## Options
    /// None. Keys starting with `x-` are extensions and always allowed where the
    /// specification allows them; 3.1 schemas accept any JSON Schema keyword.
    /// Status code keys are checked by `invalid-status-code` and path
    /// parameters by `path-params-mismatch`.
    pub InvalidStructure {
        code: "OAS073",
        name: "invalid-structure",
        checklist: ApiContract,
        group: Correctness,
        severity: Error,
        summary: "an unknown key, a value of the wrong type, a missing required key or a malformed `$ref`",
    }
}

impl InvalidStructure {
    /// Walks the document along its version's object tables.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let tree = cx.docs.tree(FileId::ROOT);
        for problem in validate::check_document(tree, cx.api.version) {
            let at = At::new(FileId::ROOT, problem.node);
            sink.push(
                cx.diagnostic_at(&Self::META, at, problem.span, problem.message)
                    .with_help(problem.help),
            );
        }
    }
}
