use backend_check_core::{declare_rule, Diagnostic, Severity, Sink};

use crate::load::At;
use crate::model::{Method, Operation, OperationKind};
use crate::rules::lookup::text_of;
use crate::rules::words::words;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds operations that a caller can use without credentials according to
    /// the spec. A write operation (POST, PUT, PATCH, DELETE) with no security
    /// requirement of its own and none at the document level is an error; a read
    /// operation (GET, HEAD) is a warning. A write operation that opts out with
    /// `security: []`, or lists the empty requirement `{}`, is a warning (once for
    /// the document when the top-level `security` does so). When the
    /// document declares schemes but never requires one, it gets a single warning
    /// instead of one per operation. A document that declares no security scheme at
    /// all gets that single warning only when it shows that callers authenticate: a
    /// login, token or session endpoint, a `401` response, or a parameter
    /// carrying credentials (`Authorization`, `X-API-Key`). A service API on a private
    /// network, or one whose callers prove themselves in the payload (an events API
    /// keyed by a routing key), is written without a scheme on purpose.
    /// OPTIONS and TRACE operations and 3.1 webhooks are not checked.
    ///
    /// ## Why is this bad?
    /// The spec is the contract gateways, generated clients and reviewers rely on.
    /// An operation without a requirement is either really public, which for a
    /// write is rarely intended, or its authentication was forgotten in the spec
    /// and clients will not send credentials. Both deserve a look; a public
    /// endpoint that is public on purpose says so with `security: []`.
    ///
    /// ## Example
    /// ```yaml
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer, bearerFormat: JWT}
    /// paths:
    ///   /orders:
    ///     post:
    ///       responses:
    ///         '201': {description: created}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer, bearerFormat: JWT}
    /// security:
    ///   - bearer: []
    /// paths:
    ///   /orders:
    ///     post:
    ///       responses:
    ///         '201': {description: created}
    /// ```
    ///
    /// ## Options
    /// None. Health, readiness, version and build-information probes (`GET /health`,
    /// `/healthz`, `/api/v1/ping`, `/api/v1/meta/build`, `/status` at the top of the
    /// API, the product's `/<name>info`: no path parameter) and reads of reference data
    /// (`GET /regions`, `/countries`, `/currencies`) are not reported, nor login,
    /// sign-up and token endpoints and a sign-up form's availability checks (`POST
    /// /account/username/exists`), with or without `security: []`; nor a write that
    /// declares `security: []` and receives calls from other services (a path with
    /// `webhook`, `callback`, `sns` or `ingest`: the sender signs the request). A document with no
    /// document-wide `security` in which most operations have none of their own
    /// is written that way on purpose (an admin API served on a private port, as
    /// Ory Hydra's): its operations without a requirement are not reported. Another read endpoint
    /// that is public on purpose declares `security: []`; for a public write endpoint, put
    /// `x-backend-check-allow: [OAS005]` on the operation.
    pub UnauthenticatedOperation {
        code: "OAS005",
        name: "unauthenticated-operation",
        checklist: SecAuthn,
        group: Suspicious,
        severity: Error,
        summary: "an operation without a security requirement, or a write operation that opts out of security",
    }
}

impl UnauthenticatedOperation {
    /// Reports operations without authentication.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let api = cx.api;
        let operations: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|o| o.kind == OperationKind::Path && is_checked(o.method))
            .collect();
        if operations.is_empty() {
            return;
        }
        if api.security_schemes.is_empty() {
            // A description silent about authentication is news only when it
            // shows that callers do authenticate: a service API on a private
            // network, or one whose callers prove themselves in the payload,
            // is written that way on purpose.
            if shows_credentials(&operations) {
                sink.push(document_finding(
                    cx,
                    no_schemes_message(),
                    no_schemes_help(),
                ));
            }
            return;
        }
        let any_requirement =
            api.security.is_some() || operations.iter().any(|o| o.security.is_some());
        if !any_requirement {
            sink.push(document_finding(
                cx,
                never_required_message(),
                never_required_help(),
            ));
            return;
        }
        // The document's own convention: with no document-wide requirement and
        // most operations without one of their own, leaving security off is
        // how this description is written (an admin API on a private port, a
        // public catalogue), so only the outliers would be news, and there are
        // none to single out. The operations without one are not reported.
        let secured = operations
            .iter()
            .filter(|o| api.effective_security(o).is_some())
            .count();
        let open_by_convention = api.security.is_none() && secured * 2 < operations.len();
        let mut open_by_document = 0;
        for operation in operations {
            if operation.security.is_none()
                && operation.is_write()
                && document_is_open(cx)
                && !is_auth_flow(operation)
            {
                open_by_document += 1;
            } else if let Some(diagnostic) = check_operation(cx, operation, open_by_convention) {
                sink.push(diagnostic);
            }
        }
        if let (true, Some(security)) = (open_by_document > 0, &cx.api.security) {
            sink.push(
                cx.diagnostic(
                    &Self::META,
                    security.key,
                    open_document_message(open_by_document),
                )
                .with_help(opt_out_help())
                .with_severity(Severity::Warning),
            );
        }
    }
}

/// Whether the document-wide `security` lets anonymous callers in.
fn document_is_open(cx: &Context<'_>) -> bool {
    cx.api
        .security
        .as_ref()
        .is_some_and(|s| s.allows_anonymous())
}

fn open_document_message(count: usize) -> String {
    let noun = if count == 1 {
        "operation"
    } else {
        "operations"
    };
    format!("document-wide `security` allows anonymous access, so {count} write {noun} can be called without credentials")
}

fn is_checked(method: Method) -> bool {
    !matches!(method, Method::Options | Method::Trace)
}

fn document_finding(cx: &Context<'_>, message: String, help: &str) -> Diagnostic {
    let tree = cx.docs.tree(cx.api.root.file);
    let at = ["openapi", "swagger"]
        .iter()
        .find_map(|k| tree.get(cx.api.root.node, k))
        .map_or(cx.api.root, |e| At::new(cx.api.root.file, e.key));
    cx.diagnostic(&UnauthenticatedOperation::META, at, message)
        .with_help(help)
        .with_severity(Severity::Warning)
}

/// The finding on one operation; `open_by_convention`: the document leaves
/// security off on most operations, so one without it is not an omission.
fn check_operation(
    cx: &Context<'_>,
    operation: &Operation,
    open_by_convention: bool,
) -> Option<Diagnostic> {
    let rule = &UnauthenticatedOperation::META;
    match cx.api.effective_security(operation) {
        None if open_by_convention => None,
        None if !operation.is_write()
            && (is_probe(cx, operation) || is_reference_data(operation)) =>
        {
            None
        }
        // A sign-up or sign-in that does not say `security: []` is still public
        // by design: nobody has credentials before it.
        None if is_auth_flow(operation) => None,
        None => {
            let diagnostic = cx
                .diagnostic(rule, operation.method_key, unsecured_message(operation))
                .with_help(unsecured_help());
            Some(if operation.is_write() {
                diagnostic
            } else {
                diagnostic.with_severity(Severity::Warning)
            })
        }
        Some(security)
            if operation.is_write()
                && security.allows_anonymous()
                && !is_auth_flow(operation)
                && !(operation.security.is_some() && is_receiver(operation)) =>
        {
            let at = match &operation.security {
                Some(own) => own.key,
                None => security.key,
            };
            let diagnostic = cx
                .diagnostic(rule, at, opt_out_message(operation))
                .with_help(opt_out_help())
                .with_severity(Severity::Warning);
            Some(cx.label(diagnostic, operation.method_key, "the write operation"))
        }
        Some(_) => None,
    }
}

/// The last path segments of health and liveness probes, which load balancers
/// and orchestrators call without credentials.
const PROBE_SEGMENTS: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "health-check",
    "ping",
    "ready",
    "readyz",
    "readiness",
    "live",
    "livez",
    "liveness",
    "alive",
    "version",
    "buildinfo",
    "build-info",
];

/// Last segments that name a probe only at the top of the API (`/status`,
/// `/api/v1/meta/build`), not below a resource (`/orders/status`).
const TOP_PROBE_SEGMENTS: &[&str] = &["info", "build", "about", "status"];

/// Whether every segment before the last is an API prefix: `api`, a version
/// (`v1`, `2.0`), `meta`, `system`, `server`, `_`.
fn only_prefixes_before_last(operation: &Operation) -> bool {
    let path = operation.name.split(['#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    segments.split_last().is_some_and(|(_, before)| {
        before.iter().all(|s| {
            let s = s.to_ascii_lowercase();
            matches!(
                s.as_str(),
                "api" | "meta" | "system" | "server" | "_" | "public"
            ) || s
                .trim_start_matches('v')
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
        })
    })
}

/// The last segment of a path without parameters, lower-case (`/api/v1/meta/build` → `build`).
fn fixed_last_segment(operation: &Operation) -> Option<String> {
    let path = operation.name.split(['#']).next().unwrap_or_default();
    if path.contains('{') {
        return None;
    }
    path.rsplit('/')
        .find(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
}

/// A health, readiness, version or build-information probe (`GET
/// /api/v1/health`, `/healthz`, `/api/v1/meta/build`, Gotify's
/// `/gotifyinfo`): a path with no parameters whose last segment names a probe,
/// or the product's name (the first word of `info.title`) followed by `info` or
/// `version`. Public by design.
fn is_probe(cx: &Context<'_>, operation: &Operation) -> bool {
    let Some(last) = fixed_last_segment(operation) else {
        return false;
    };
    if PROBE_SEGMENTS.contains(&last.as_str())
        || (TOP_PROBE_SEGMENTS.contains(&last.as_str()) && only_prefixes_before_last(operation))
    {
        return true;
    }
    let product = crate::model::child(cx.docs, cx.api.root, "info")
        .and_then(|info| text_of(cx, info, "title"))
        .and_then(|title| words(&title).into_iter().next());
    product.is_some_and(|product| {
        last.strip_prefix(product.as_str())
            .is_some_and(|rest| matches!(rest, "info" | "version" | "-info" | "-version"))
    })
}

/// The last path segments of reference data that a public catalogue lists for
/// anyone choosing a plan (Linode's `GET /regions`).
const REFERENCE_SEGMENTS: &[&str] = &[
    "regions",
    "zones",
    "locations",
    "countries",
    "currencies",
    "languages",
    "locales",
    "timezones",
    "time-zones",
    "kernels",
];

/// A read of reference data (`GET /regions`, `/v4/countries`): no path
/// parameter, last segment in [`REFERENCE_SEGMENTS`].
fn is_reference_data(operation: &Operation) -> bool {
    fixed_last_segment(operation).is_some_and(|last| REFERENCE_SEGMENTS.contains(&last.as_str()))
}

/// Words of the endpoints that hand out or check credentials, strict enough
/// that a match shows the API has callers who authenticate.
const CREDENTIAL_FLOW_WORDS: &[&str] = &[
    "login",
    "logon",
    "logout",
    "signin",
    "signup",
    "token",
    "tokens",
    "oauth",
    "oauth2",
    "authorize",
    "authenticate",
    "session",
    "sessions",
    "sso",
    "saml",
    "signon",
];

/// Names of parameters that carry credentials.
const CREDENTIAL_PARAMETERS: &[&str] = &[
    "authorization",
    "x-api-key",
    "api-key",
    "api_key",
    "apikey",
    "access_token",
    "x-auth-token",
    "x-access-token",
];

/// Whether a description without security schemes still shows that callers
/// authenticate: a login, token or session endpoint, a 401 response, or a
/// parameter that carries credentials (`Authorization`, `X-API-Key`). Not 403:
/// an API keyed by a routing key answers 403 when a caller sends too much.
fn shows_credentials(operations: &[&Operation]) -> bool {
    operations.iter().any(|o| {
        path_says(o, CREDENTIAL_FLOW_WORDS)
            || o.responses.iter().any(|r| r.status == "401")
            || o.parameters.iter().any(|p| {
                p.location != "path"
                    && CREDENTIAL_PARAMETERS.contains(&p.name.to_ascii_lowercase().as_str())
            })
    })
}

/// The last words of a sign-up form's availability check (`POST
/// /api/v1/account/username/exists`), which runs before the caller has an account.
fn is_availability_check(operation: &Operation) -> bool {
    let segments: Vec<String> = operation
        .name
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .map(str::to_ascii_lowercase)
        .collect();
    let Some((last, before)) = segments.split_last() else {
        return false;
    };
    matches!(last.as_str(), "exists" | "available" | "availability")
        && before.iter().any(|s| {
            matches!(
                s.as_str(),
                "username" | "email" | "handle" | "login" | "name" | "nickname" | "subdomain"
            )
        })
}

/// Path words of endpoints that receive calls from other services (a webhook
/// receiver, an SNS subscription), which prove themselves by a signature in
/// the request rather than by credentials.
const RECEIVER_WORDS: &[&str] = &[
    "webhook",
    "webhooks",
    "hook",
    "hooks",
    "callback",
    "callbacks",
    "sns",
    "ingest",
    "ingestors",
];

/// A receiver of calls from other services, by its path words.
fn is_receiver(operation: &Operation) -> bool {
    path_says(operation, RECEIVER_WORDS)
}

/// Whether a word of the operation's path (its fixed segments, not the
/// `{parameters}`) is one of `list`.
fn path_says(operation: &Operation, list: &[&str]) -> bool {
    operation
        .name
        .split(['/', '#', ':', '.'])
        .filter(|s| !s.starts_with('{'))
        .flat_map(words)
        .any(|w| list.contains(&w.as_str()))
}

/// Words of the endpoints a caller uses to get credentials: they are open by design.
const AUTH_FLOW_WORDS: &[&str] = &[
    "login",
    "logon",
    "signin",
    "signup",
    "register",
    "registration",
    "registrations",
    "token",
    "tokens",
    "oauth",
    "oauth2",
    "authorize",
    "authenticate",
    "authentication",
    "auth",
    "forgot",
    "reset",
    "resets",
    "refresh",
    "revoke",
    "session",
    "sessions",
    "logout",
    "verify",
    "verification",
    "otp",
    "mfa",
    "sso",
    "saml",
    "magic",
    "signon",
];

/// A login, registration or token endpoint (by its path or operationId), which
/// must be callable without the credentials it hands out.
fn is_auth_flow(operation: &Operation) -> bool {
    path_says(operation, AUTH_FLOW_WORDS)
        || is_availability_check(operation)
        || operation.operation_id.as_ref().is_some_and(|(id, _)| {
            words(id)
                .iter()
                .any(|w| AUTH_FLOW_WORDS.contains(&w.as_str()))
        })
}

fn no_schemes_message() -> String {
    "document declares no security scheme, so no operation requires authentication".to_owned()
}

fn no_schemes_help() -> &'static str {
    "declare how callers authenticate (`components.securitySchemes`, or `securityDefinitions` in 2.0) and require it with `security`"
}

fn never_required_message() -> String {
    "document declares security schemes but no operation requires one".to_owned()
}

fn never_required_help() -> &'static str {
    "add a top-level `security` requirement (and `security: []` on the operations that are public)"
}

fn unsecured_message(operation: &Operation) -> String {
    format!("{} has no security requirement", operation.describe())
}

fn unsecured_help() -> &'static str {
    "add a `security` requirement to the operation or at the top level; mark deliberately public operations with `security: []`"
}

fn opt_out_message(operation: &Operation) -> String {
    format!(
        "{} can be called without credentials (`security` allows anonymous access)",
        operation.describe()
    )
}

fn opt_out_help() -> &'static str {
    "require a security scheme for this write operation, or confirm it is public on purpose with `x-backend-check-allow: [OAS005]`"
}
