use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{child, text_at, SpecVersion};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds Swagger 2.0 operations with `in: formData` parameters whose
    /// `consumes` (the operation's, else the document's) lists neither
    /// `application/x-www-form-urlencoded` nor `multipart/form-data`.
    ///
    /// ## Why is this bad?
    /// Form parameters can only travel in a form-encoded or multipart body.
    /// With `consumes: [application/json]` (or none), clients send the fields
    /// in a body the server does not parse as a form, and generated clients
    /// cannot encode them at all. Files (`type: file`) need `multipart/form-data`.
    ///
    /// ## Example
    /// ```yaml
    /// post:
    ///   consumes: [application/json]
    ///   parameters:
    ///     - {name: avatar, in: formData, type: file}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// post:
    ///   consumes: [multipart/form-data]
    ///   parameters:
    ///     - {name: avatar, in: formData, type: file}
    /// ```
    ///
    /// ## Options
    /// None.
    pub FormDataWithoutFormConsumes {
        code: "OAS083",
        name: "form-data-without-form-consumes",
        checklist: ApiContract,
        group: Correctness,
        severity: Error,
        summary: "a 2.0 formData parameter on an operation that consumes no form media type",
    }
}

const FORM_TYPES: &[&str] = &["application/x-www-form-urlencoded", "multipart/form-data"];

impl FormDataWithoutFormConsumes {
    /// Reports the first formData parameter of each operation without a form `consumes`.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        if cx.api.version != SpecVersion::Swagger2 {
            return;
        }
        let global = child(cx.docs, cx.api.root, "consumes");
        for operation in &cx.api.operations {
            let Some(location) = first_form_data(cx, operation.node) else {
                continue;
            };
            let consumes = child(cx.docs, operation.node, "consumes").or(global);
            if consumes.is_some_and(|c| lists_form_type(cx, c)) {
                continue;
            }
            let diagnostic = cx
                .diagnostic(&Self::META, location, message(&operation.describe()))
                .with_help("add `consumes: [application/x-www-form-urlencoded]` (or `multipart/form-data` for files) to the operation");
            sink.push(diagnostic);
        }
    }
}

/// Where the operation lists its first formData parameter: its `in` value, or its `$ref`.
fn first_form_data(cx: &Context<'_>, operation: At) -> Option<At> {
    let list = child(cx.docs, operation, "parameters")?;
    let tree = cx.docs.tree(list.file);
    tree.items(list.node).iter().find_map(|item| {
        let written = At::new(list.file, *item);
        let parameter = cx.docs.follow(written);
        let location = child(cx.docs, parameter, "in")?;
        let report = if parameter == written {
            location
        } else {
            written
        };
        (text_at(cx.docs, location).as_deref() == Some("formData")).then_some(report)
    })
}

fn lists_form_type(cx: &Context<'_>, consumes: At) -> bool {
    let tree = cx.docs.tree(consumes.file);
    tree.items(consumes.node).iter().any(|item| {
        tree.text(*item).is_some_and(|media| {
            let essence = media.split(';').next().unwrap_or("").trim();
            FORM_TYPES.iter().any(|f| essence.eq_ignore_ascii_case(f))
        })
    })
}

fn message(operation: &str) -> String {
    format!("{operation} has formData parameters but consumes no form media type")
}
