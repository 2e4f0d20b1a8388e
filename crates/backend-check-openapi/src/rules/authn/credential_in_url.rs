use backend_check_core::{declare_rule, Sink};

use crate::model::{Operation, Parameter};
use crate::rules::sensitive::words;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds query and path parameters whose name says they carry a credential:
    /// `password`, `passwd`, `secret`, `token`, `access_token`, `api_key`,
    /// `apikey`, `client_secret`, `session`, `jwt`, `auth` (any case, with `-`,
    /// `_` or camelCase between words). Names that only mention a token as a
    /// pagination cursor (`page_token`, `next_token`, `continuation_token`) are
    /// not reported, nor are boolean and numeric parameters (`rotateToken=true`).
    ///
    /// ## Why is this bad?
    /// URLs are logged by servers, proxies and load balancers, kept in browser
    /// history and sent onwards in `Referer` headers. A credential in a URL is a
    /// credential in all of those places. Headers and request bodies are not
    /// logged by default.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /reports:
    ///     get:
    ///       parameters:
    ///         - {name: access_token, in: query, schema: {type: string}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer, bearerFormat: JWT}
    /// paths:
    ///   /reports:
    ///     get:
    ///       security:
    ///         - bearer: []
    /// ```
    ///
    /// ## Options
    /// None.
    pub CredentialInUrl {
        code: "OAS008",
        name: "credential-in-url",
        checklist: SecAuthn,
        group: Nursery,
        severity: Warning,
        summary: "a query or path parameter that carries a password, token, secret or API key",
    }
}

impl CredentialInUrl {
    /// Reports credential-like parameters in URLs, once per written parameter.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = std::collections::HashSet::new();
        for operation in &cx.api.operations {
            for parameter in &operation.parameters {
                let in_url = matches!(parameter.location.as_str(), "query" | "path");
                if in_url
                    && is_credential(&parameter.name)
                    && !is_flag_or_number(cx, parameter)
                    && seen.insert(parameter.node)
                {
                    sink.push(diagnostic(cx, operation, parameter));
                }
            }
        }
    }
}

/// A boolean or numeric parameter (`rotateToken=true`, `hide_secret=1`) carries no credential.
fn is_flag_or_number(cx: &Context<'_>, parameter: &Parameter) -> bool {
    let Some(schema) = parameter.schema else {
        return false;
    };
    crate::model::child(cx.docs, schema, "type")
        .and_then(|t| crate::model::text_at(cx.docs, t))
        .is_some_and(|t| matches!(t.as_str(), "boolean" | "integer" | "number"))
}

fn diagnostic(
    cx: &Context<'_>,
    operation: &Operation,
    parameter: &Parameter,
) -> backend_check_core::Diagnostic {
    let at = crate::model::child(cx.docs, parameter.node, "name").unwrap_or(parameter.node);
    cx.diagnostic(&CredentialInUrl::META, at, message(operation, parameter))
        .with_help(help())
}

fn is_credential(name: &str) -> bool {
    let mut words = words(name);
    if words.first().is_some_and(|w| w == "x") {
        words.remove(0);
    }
    let joined = words.concat();
    if [
        "apikey",
        "accesstoken",
        "clientsecret",
        "refreshtoken",
        "idtoken",
        "authtoken",
        "privatekey",
    ]
    .iter()
    .any(|w| joined == *w)
    {
        return true;
    }
    let Some(last) = words.last() else {
        return false;
    };
    let cursor = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "page"
                | "next"
                | "continuation"
                | "pagination"
                | "sync"
                | "cursor"
                | "prev"
                | "previous"
                | "resume"
        )
    });
    match last.as_str() {
        "password" | "passwd" | "secret" | "jwt" | "apikey" => true,
        "token" => !cursor,
        "key" => {
            words.len() == 2
                && words
                    .first()
                    .is_some_and(|w| w == "api" || w == "secret" || w == "private")
        }
        _ => false,
    }
}

fn message(operation: &Operation, parameter: &Parameter) -> String {
    format!(
        "{} parameter \"{}\" of {} looks like a credential in the URL",
        parameter.location,
        parameter.name,
        operation.describe()
    )
}

fn help() -> &'static str {
    "send credentials in a header (a security scheme with `in: header` or `Authorization`) or in the request body, never in the URL"
}

#[cfg(test)]
mod tests {
    use super::is_credential;

    #[test]
    fn credential_names() {
        for name in [
            "password",
            "api_key",
            "apiKey",
            "X-API-KEY",
            "access_token",
            "accessToken",
            "client_secret",
            "token",
            "jwt",
            "user_password",
            "secret",
        ] {
            assert!(is_credential(name), "{name}");
        }
        for name in [
            "page_token",
            "nextToken",
            "continuation_token",
            "key",
            "sort_key",
            "tokens_used",
            "passwordless",
            "cursor",
            "secret_santa_id",
            "author",
        ] {
            assert!(!is_credential(name), "{name}");
        }
    }
}
