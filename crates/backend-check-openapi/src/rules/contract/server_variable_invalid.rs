use backend_check_core::{declare_rule, Diagnostic, Sink};

use crate::load::{At, Value};
use crate::model::{child, SpecVersion};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Checks the variables of the document's `servers` (OpenAPI 3.x): a
    /// `{name}` in the URL with no variable of that name, a variable without
    /// `default` (required by the specification), an empty `enum`, and a
    /// `default` that its `enum` does not list.
    ///
    /// ## Why is this bad?
    /// Tools build the server URL by substituting each variable's default.
    /// Without a default, or with a variable the URL names but nobody
    /// declares, the URL stays `https://{region}.api.example.com` and every
    /// generated client, "try it" console and mock server calls a host that
    /// does not exist. A default outside the enum is a value the document
    /// itself says is not allowed.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   - url: https://{region}.api.example.com/{version}
    ///     variables:
    ///       region:
    ///         enum: [eu, us]
    ///         default: asia
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// servers:
    ///   - url: https://{region}.api.example.com/{version}
    ///     variables:
    ///       region: {enum: [eu, us], default: eu}
    ///       version: {default: v1}
    /// ```
    ///
    /// ## Options
    /// None.
    pub ServerVariableInvalid {
        code: "OAS070",
        name: "server-variable-invalid",
        checklist: ApiContract,
        group: Correctness,
        severity: Warning,
        summary: "a server URL variable that is undeclared, has no default, or a default outside its enum",
    }
}

impl ServerVariableInvalid {
    /// Reports broken server variables of the document's servers.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        if cx.api.version == SpecVersion::Swagger2 {
            return;
        }
        let Some(list) = child(cx.docs, cx.api.root, "servers") else {
            return;
        };
        let tree = cx.docs.tree(list.file);
        for item in tree.items(list.node) {
            check_server(cx, At::new(list.file, *item), sink);
        }
    }
}

fn check_server(cx: &Context<'_>, server: At, sink: &mut Sink<'_>) {
    let tree = cx.docs.tree(server.file);
    let Some(url) = tree.get_value(server.node, "url") else {
        return;
    };
    let url_text = tree.text(url).unwrap_or_default();
    let variables = tree.get_value(server.node, "variables");
    for name in template_names(url_text) {
        let declared = variables.is_some_and(|v| tree.get_value(v, name).is_some());
        if !declared {
            let message = format!("server URL variable \"{name}\" is not declared in `variables`");
            sink.push(diagnostic(cx, At::new(server.file, url), message));
        }
    }
    let Some(variables) = variables else {
        return;
    };
    for entry in tree.members(variables) {
        let name = tree.text(entry.key).unwrap_or_default();
        let key = At::new(server.file, entry.key);
        let default = tree.get(entry.value, "default");
        let options = tree.get_value(entry.value, "enum");
        let Some(default) = default else {
            sink.push(diagnostic(
                cx,
                key,
                format!("server variable \"{name}\" has no default"),
            ));
            continue;
        };
        let Some(options) = options else {
            continue;
        };
        let listed = tree.items(options);
        if listed.is_empty() {
            let message = format!("server variable \"{name}\" has an empty enum");
            sink.push(diagnostic(cx, key, message));
            continue;
        }
        let default_text = scalar(tree.value(default.value));
        if !listed
            .iter()
            .any(|o| scalar(tree.value(*o)) == default_text)
        {
            let message = format!(
                "default \"{default_text}\" of server variable \"{name}\" is not in its enum"
            );
            sink.push(diagnostic(cx, At::new(server.file, default.value), message));
        }
    }
}

fn scalar(value: &Value<'_>) -> String {
    match value {
        Value::String(s) | Value::Number(s) => s.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.kind_name().to_owned(),
    }
}

/// The `{name}`s of a URL template.
fn template_names(url: &str) -> Vec<&str> {
    url.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.is_empty())
        .collect()
}

fn diagnostic(cx: &Context<'_>, at: At, message: String) -> Diagnostic {
    cx.diagnostic(&ServerVariableInvalid::META, at, message)
        .with_help("declare every `{variable}` of the URL under `variables` with a `default` that its `enum` (if any) lists")
}
