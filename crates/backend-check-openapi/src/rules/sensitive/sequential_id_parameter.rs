use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::{child, Operation, Parameter, Types};
use crate::rules::Context;

use super::words;

declare_rule! {
    /// ## What it does
    /// Finds path parameters that name an identifier (`id`, `user_id`,
    /// `orderId`) and are integers. Each name is reported once, at its first
    /// parameter, with the count of the others (specs often inline the same
    /// `{id}` in every operation). Operations the document opens to anyone
    /// (`security: []`) address public things: their ids are public and not
    /// reported.
    ///
    /// ## Why is this bad?
    /// Sequential integer ids are guessable: a caller who owns order 1041 can
    /// try 1040 and 1042. Every endpoint then depends on an authorization
    /// check for each object (OWASP API1:2023, broken object level
    /// authorization), and the ids leak how many records exist and how fast
    /// they grow. Random identifiers (UUIDs, ULIDs) make enumeration useless.
    /// This is advice, not an error: integer keys with sound object-level
    /// checks are safe.
    ///
    /// ## Example
    /// ```yaml
    /// parameters:
    ///   - {name: orderId, in: path, required: true, schema: {type: integer}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// parameters:
    ///   - {name: orderId, in: path, required: true, schema: {type: string, format: uuid}}
    /// ```
    ///
    /// ## Options
    /// None.
    pub SequentialIdParameter {
        code: "OAS065",
        name: "sequential-id-parameter",
        checklist: SecSensitiveData,
        group: Pedantic,
        severity: Info,
        summary: "a path parameter that is an integer id, so guessable",
    }
}

impl SequentialIdParameter {
    /// Reports integer id path parameters, once per written parameter.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        let mut by_name: Vec<(&Operation, &Parameter, usize)> = Vec::new();
        for operation in &cx.api.operations {
            if is_public(cx, operation) {
                continue;
            }
            for parameter in &operation.parameters {
                if parameter.location == "path"
                    && is_id(&parameter.name)
                    && is_integer(cx, parameter)
                    && seen.insert(parameter.node)
                {
                    match by_name
                        .iter_mut()
                        .find(|(_, p, _)| p.name == parameter.name)
                    {
                        Some(first) => first.2 += 1,
                        None => by_name.push((operation, parameter, 0)),
                    }
                }
            }
        }
        for (operation, parameter, more) in by_name {
            let at = child(cx.docs, parameter.node, "name").unwrap_or(parameter.node);
            sink.push(
                cx.diagnostic(&Self::META, at, message(parameter, operation, more))
                    .with_help(help()),
            );
        }
    }
}

/// An operation the document opens to anonymous callers on purpose
/// (`security: []`): its ids name public things, enumerating them leaks nothing.
fn is_public(cx: &Context<'_>, operation: &Operation) -> bool {
    cx.api
        .effective_security(operation)
        .is_some_and(|s| s.allows_anonymous())
}

fn is_id(name: &str) -> bool {
    words(name).last().is_some_and(|w| w == "id")
}

fn is_integer(cx: &Context<'_>, parameter: &Parameter) -> bool {
    parameter.schema.is_some_and(|schema| {
        let tree = cx.docs.tree(schema.file);
        Types::of(tree, schema.node).is_only(Types::INTEGER)
    })
}

fn message(parameter: &Parameter, operation: &Operation, more: usize) -> String {
    let others = match more {
        0 => String::new(),
        1 => " (and 1 more path parameter of that name)".to_owned(),
        n => format!(" (and {n} more path parameters of that name)"),
    };
    format!(
        "path parameter \"{}\" of {} is a sequential integer id{others}",
        parameter.name,
        operation.describe()
    )
}

fn help() -> &'static str {
    "use random identifiers (`type: string, format: uuid`) for resources callers address, or make sure every operation checks that the caller may access the object"
}
