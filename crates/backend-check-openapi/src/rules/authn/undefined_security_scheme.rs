use backend_check_core::{declare_rule, Sink};

use crate::model::Security;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds security requirements (top-level or on an operation) that name a
    /// scheme the document does not declare in `components.securitySchemes`
    /// (OpenAPI 3.x) or `securityDefinitions` (Swagger 2.0).
    ///
    /// ## Why is this bad?
    /// A requirement naming an unknown scheme tells clients nothing about how to
    /// authenticate. Generators drop it, so generated clients send no credentials,
    /// and gateways configured from the spec may leave the operation open. It is
    /// usually a typo or a scheme renamed in one place only.
    ///
    /// ## Example
    /// ```yaml
    /// components:
    ///   securitySchemes:
    ///     bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}
    /// security:
    ///   - BearerAuth: []
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// components:
    ///   securitySchemes:
    ///     bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}
    /// security:
    ///   - bearerAuth: []
    /// ```
    ///
    /// ## Options
    /// None.
    pub UndefinedSecurityScheme {
        code: "OAS006",
        name: "undefined-security-scheme",
        checklist: SecAuthn,
        group: Correctness,
        severity: Error,
        summary: "a security requirement naming a scheme the document does not declare",
    }
}

impl UndefinedSecurityScheme {
    /// Reports each requirement entry naming an undeclared scheme.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let lists = cx
            .api
            .security
            .iter()
            .chain(cx.api.operations.iter().filter_map(|o| o.security.as_ref()));
        for security in lists {
            check_list(cx, security, sink);
        }
    }
}

fn check_list(cx: &Context<'_>, security: &Security, sink: &mut Sink<'_>) {
    for requirement in &security.requirements {
        for (name, key, _) in &requirement.schemes {
            if cx.api.scheme(name).is_none() {
                sink.push(
                    cx.diagnostic(&UndefinedSecurityScheme::META, *key, message(name))
                        .with_help(help(cx)),
                );
            }
        }
    }
}

fn message(name: &str) -> String {
    format!("security requirement names undefined scheme \"{name}\"")
}

fn help(cx: &Context<'_>) -> String {
    let declared: Vec<&str> = cx
        .api
        .security_schemes
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    if declared.is_empty() {
        "declare the scheme under `components.securitySchemes` (`securityDefinitions` in 2.0)"
            .to_owned()
    } else {
        format!(
            "use one of the declared schemes ({}) or declare this one",
            declared.join(", ")
        )
    }
}
