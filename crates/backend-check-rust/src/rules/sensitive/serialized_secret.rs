use backend_check_core::{declare_rule, Diagnostic, Sink};

use super::names::hinted;
use crate::model::{FieldDef, StructDef};
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds structs that derive `Serialize` and have a field holding a password, a password
    /// hash or a secret (`password`, `password_hash`, `hashed_password`, `client_secret`,
    /// `private_key`, `totp_secret` …, as a string, optional or byte field) that is not
    /// marked `#[serde(skip)]` or `#[serde(skip_serializing)]` and has no
    /// `serialize_with` that redacts it. Flags (`has_password: bool`) and types that refuse
    /// to serialize (`SecretString`) are not reported. Structs in test code are not reported,
    /// nor those whose name says carrying the secret is their job: an outgoing request that
    /// is only serialized (`TokenRequest`, `…Params`, `…Payload`, `…Form`: an OAuth client
    /// sends its `client_secret`) and a type named for the secret it hands over
    /// (`ClientSecretResponse`, `PamPasswordResponse`). Database rows are always checked.
    ///
    /// ## Why is this bad?
    /// A struct that derives `Serialize` ends up in a JSON response, a log line or a cache
    /// sooner or later — often the same `User` row type returned by a `GET /users/{id}`
    /// handler. A password hash in a response can be cracked offline; a secret in a log is
    /// readable by everyone with log access.
    ///
    /// ## Example
    /// ```rust
    /// #[derive(Serialize, sqlx::FromRow)]
    /// pub struct User {
    ///     pub id: i64,
    ///     pub email: String,
    ///     pub password_hash: String,
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// #[derive(Serialize, sqlx::FromRow)]
    /// pub struct User {
    ///     pub id: i64,
    ///     pub email: String,
    ///     #[serde(skip_serializing)]
    ///     pub password_hash: String,
    /// }
    /// ```
    /// or keep the row type private and serialize a separate response type without the field.
    ///
    /// ## Options
    /// None. A field that is meant to be serialized (a secret shown once on creation) can be
    /// accepted with `// backend-check: allow(RS024) reason`.
    pub SerializedSecret {
        code: "RS024",
        name: "serialized-secret",
        checklist: SecSensitiveData,
        group: Pedantic,
        severity: Warning,
        summary: "password, hash or secret field of a `Serialize` struct is not skipped",
    }
}

/// Field types that carry the value in clear when serialized.
const CLEAR_TYPES: &[&str] = &["String", "str", "Option", "Vec", "Box", "Cow", "Bytes"];

impl SerializedSecret {
    /// Reports secret fields of `Serialize` structs outside test code.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        ctx.each_file(&Self::META, sink, |parsed| {
            let mut out = Vec::new();
            for s in parsed.facts.structs.iter().filter(|s| is_serialized(s)) {
                for field in s.fields.iter().filter(|f| is_exposed_secret(f)) {
                    out.push(
                        Diagnostic::new(&Self::META, &parsed.file, field.span, message(s, field))
                            .with_help("mark the field `#[serde(skip_serializing)]`, or serialize a response type without it"),
                    );
                }
            }
            out
        })
    }
}

/// Derives of database row types.
const ROW_DERIVES: &[&str] = &[
    "FromRow",
    "Queryable",
    "Selectable",
    "Identifiable",
    "DeriveEntityModel",
];

/// A struct that is written out: it derives `Serialize`, and is either a
/// database row or not also deserialized (a type that derives both is usually
/// a request or configuration type shared with a client).
fn is_serialized(s: &StructDef) -> bool {
    let derives = |name: &str| s.derives.iter().any(|d| d == name);
    let row = s.derives.iter().any(|d| ROW_DERIVES.contains(&d.as_str()));
    derives("Serialize")
        && (row || !derives("Deserialize"))
        && !s.serde.iter().any(|w| w == "into")
        && (row || !carries_secret_by_design(&s.name))
}

/// Whether the struct's name says that carrying a secret is its job: an
/// outgoing request (a client's `TokenRequest`, `OidcCodeRequestParams`,
/// `RequestPayload`: serialized only, so sent, and an OAuth client must send
/// its `client_secret`), or a type named for the secret it returns
/// (`ClientSecretResponse`, `PamPasswordResponse`: the endpoint exists to
/// hand it over).
fn carries_secret_by_design(name: &str) -> bool {
    // CamelCase words, so that `Platform` is not a form.
    ["Request", "Params", "Payload", "Form"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
        || ["Secret", "Password", "Credential"]
            .iter()
            .any(|word| name.contains(word))
}

fn is_exposed_secret(f: &FieldDef) -> bool {
    let skipped = f.serde.iter().any(|w| {
        matches!(
            w.as_str(),
            "skip" | "skip_serializing" | "serialize_with" | "with"
        )
    });
    !skipped && CLEAR_TYPES.contains(&f.type_name.as_str()) && is_secret_field(&f.name)
}

/// Whether a field name says it holds a password, a password hash or a secret.
pub fn is_secret_field(name: &str) -> bool {
    let hints = [
        "password",
        "passwd",
        "secret",
        "private_key",
        "privkey",
        "pass_hash",
        "pwd_hash",
    ];
    let flags = [
        "has_",
        "is_",
        "_set",
        "_required",
        "_changed",
        "_at",
        "_expires",
        "_len",
        "_length",
        "_policy",
        "_hint",
        "_id",
        "_reset",
        "_enabled",
        "_name",
        "_url",
        "_path",
        "_file",
    ];
    hinted(name, &hints, &flags)
}

fn message(s: &StructDef, f: &FieldDef) -> String {
    format!(
        "field `{}` of `Serialize` struct `{}` is serialized in clear",
        f.name, s.name
    )
}
