use std::collections::{HashMap, HashSet};

use backend_check_core::{declare_rule, guard, Diagnostic, Severity, Sink};

use crate::framework::{FnId, Handler};
use crate::model::{FnDef, Param, StructDef};
use crate::names::matches_any;
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds request handlers that take a request body or query string (`Json<T>`,
    /// `Form<T>`, `Query<T>`; actix-web `web::Json<T>`, `web::Form<T>`, `web::Query<T>`)
    /// whose type `T` is never validated:
    /// - `T` is a struct of the project with string, collection or optional fields, and
    /// - it does not derive `Validate` (validator) or `Validate` / `garde` attributes,
    ///   and is not parsed through `#[serde(try_from = "…")]`, and
    /// - the handler calls nothing that validates (`.validate()`, `is_valid_*`,
    ///   `sanitize*`, `verify*`, `try_from` / `try_into`).
    ///
    /// Untyped bodies (`Json<serde_json::Value>`) are reported as warnings: nothing about
    /// their shape is checked. Extractors that validate (`Valid<Json<T>>`, `ValidatedJson<T>`,
    /// `Garde<…>`, configurable) are never reported. The finding is `info`: many services
    /// validate deep in their domain layer, where a static check cannot follow.
    ///
    /// ## Why is this bad?
    /// serde checks types, not values: a 10 MB user name, an e-mail without `@`, a negative
    /// quantity or a page size of a million all deserialize. Unbounded input reaches the
    /// database, the logs and other users' screens, and becomes the denial-of-service or
    /// stored-XSS vector the API checklist asks you to close.
    ///
    /// ## Example
    /// ```rust
    /// #[derive(Deserialize)]
    /// struct SignUp {
    ///     email: String,
    ///     name: String,
    /// }
    ///
    /// async fn sign_up(State(db): State<PgPool>, Json(form): Json<SignUp>) -> Result<StatusCode, AppError> {
    ///     users::insert(&db, &form.email, &form.name).await?;
    ///     Ok(StatusCode::CREATED)
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// #[derive(Deserialize, Validate)]
    /// struct SignUp {
    ///     #[validate(email, length(max = 254))]
    ///     email: String,
    ///     #[validate(length(min = 1, max = 100))]
    ///     name: String,
    /// }
    ///
    /// async fn sign_up(State(db): State<PgPool>, Json(form): Json<SignUp>) -> Result<StatusCode, AppError> {
    ///     form.validate()?;
    ///     users::insert(&db, &form.email, &form.name).await?;
    ///     Ok(StatusCode::CREATED)
    /// }
    /// ```
    /// or parse into domain types (`#[serde(try_from = "RawSignUp")]`, `Email::parse`).
    ///
    /// ## Options
    /// `rust.validating-wrappers` (default `Valid*`, `Validated*`, `Garde`): extractor types
    /// that validate their content.
    pub UnvalidatedBody {
        code: "RS023",
        name: "unvalidated-body",
        checklist: ApInputValidation,
        group: Pedantic,
        severity: Info,
        summary: "request body or query extracted without validation",
    }
}

/// Extractors of bodies and query strings.
const BODY_EXTRACTORS: &[&str] = &["Json", "Form", "Query", "QsQuery"];

/// Field types that can be arbitrarily long or absent.
const UNBOUNDED: &[&str] = &[
    "String", "str", "Vec", "Option", "HashMap", "BTreeMap", "HashSet", "Value", "Box", "Cow",
];

impl UnvalidatedBody {
    /// Reports unvalidated bodies of every handler (each function once).
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let structs = struct_index(ctx);
        let mut seen: HashSet<FnId> = HashSet::new();
        for handler in ctx.handlers {
            if !seen.insert(handler.function) {
                continue;
            }
            let Some(def) = ctx.model.function(handler.function) else {
                continue;
            };
            match guard(&handler.file, || findings(ctx, &structs, handler, def)) {
                Ok(found) => found.into_iter().for_each(|d| sink.push(d)),
                Err(error) => errors.push(error),
            }
        }
        errors
    }
}

/// Structs by name, with the crate of each definition.
type StructIndex<'c> = HashMap<&'c str, Vec<(usize, &'c StructDef)>>;

fn struct_index<'c>(ctx: &Context<'c>) -> StructIndex<'c> {
    let mut index: StructIndex<'c> = HashMap::new();
    for (file, parsed) in ctx.model.files().iter().enumerate() {
        for s in &parsed.facts.structs {
            index
                .entry(s.name.as_str())
                .or_default()
                .push((ctx.model.crate_of(file), s));
        }
    }
    index
}

/// The struct a handler names: defined in its crate, or the only one of that
/// name in another crate (request types often live in a shared crate).
fn find_struct<'c>(index: &StructIndex<'c>, krate: usize, name: &str) -> Option<&'c StructDef> {
    let candidates = index.get(name)?;
    candidates
        .iter()
        .find(|(k, _)| *k == krate)
        .map(|(_, s)| *s)
        .or(match candidates.as_slice() {
            [(_, only)] => Some(*only),
            _ => None,
        })
}

fn findings(
    ctx: &Context<'_>,
    structs: &StructIndex<'_>,
    handler: &Handler,
    def: &FnDef,
) -> Vec<Diagnostic> {
    if validates_in_body(def) {
        return Vec::new();
    }
    def.params
        .iter()
        .filter(|p| is_body_extractor(ctx, p))
        .filter_map(|p| {
            let inner = p.inner.as_deref()?;
            let type_name = inner.rsplit("::").next().unwrap_or(inner);
            if type_name == "Value" {
                let message = format!(
                    "untyped request body `{}<{inner}>` in {}",
                    p.type_name(),
                    handler_phrase(handler)
                );
                return Some(
                    Diagnostic::new(&UnvalidatedBody::META, &handler.file, handler.name_span, message)
                        .with_severity(Severity::Warning)
                        .with_help("deserialize into a struct that states the expected fields, and validate it"),
                );
            }
            let s = find_struct(structs, ctx.model.crate_of(handler.function.file), type_name)?;
            if is_validated(s) || !s.fields.iter().any(|f| UNBOUNDED.contains(&f.type_name.as_str())) {
                return None;
            }
            let message = format!(
                "`{}<{type_name}>` in {} is used without validation",
                p.type_name(),
                handler_phrase(handler)
            );
            Some(
                Diagnostic::new(&UnvalidatedBody::META, &handler.file, handler.name_span, message)
                    .with_help(format!("derive `Validate` (validator or garde) for `{type_name}` with length and range rules and call `.validate()`, or extract it with a validating wrapper")),
            )
        })
        .collect()
}

fn is_body_extractor(ctx: &Context<'_>, p: &Param) -> bool {
    let name = p.type_name();
    BODY_EXTRACTORS.contains(&name) && !matches_any(name, &ctx.config.validating_wrappers)
}

fn is_validated(s: &StructDef) -> bool {
    s.derives.iter().any(|d| d == "Validate" || d == "Garde")
        || s.has_validate_attrs
        || s.serde.iter().any(|w| w == "try_from" || w == "from")
}

/// Whether the handler calls something that validates or parses its input.
fn validates_in_body(def: &FnDef) -> bool {
    let validating = |name: &str| {
        let lower = name.to_ascii_lowercase();
        lower.contains("valid")
            || lower.contains("sanitiz")
            || lower.starts_with("verify")
            || matches!(lower.as_str(), "try_from" | "try_into")
    };
    def.body.method_calls.iter().any(|c| validating(&c.method))
        || def
            .body
            .calls
            .iter()
            .any(|c| c.path.last().is_some_and(|l| validating(l)))
}

fn handler_phrase(handler: &Handler) -> String {
    if handler.is_closure() {
        "a request handler closure".to_owned()
    } else {
        format!("request handler `{}`", handler.name)
    }
}
