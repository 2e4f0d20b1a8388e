//! The model rules on small programs: positions, severities and quiet cases.

use backend_check_core::Severity;

use super::{check, positions};

const SQLI: &str = r#"use axum::{extract::{Path, State}, routing::get, Router};
use sqlx::query;

async fn by_name(State(db): State<sqlx::PgPool>, Path(name): Path<String>) -> String {
    let filter = name.to_lowercase();
    let sql = format!("SELECT id FROM users WHERE name = '{filter}'");
    let _ = query(&sql).fetch_all(&db).await;
    let table = String::from("users");
    let _ = query(&format!("SELECT id FROM {}", table)).fetch_all(&db).await;
    let _ = query(&format!("SELECT id FROM users LIMIT {}", 10)).fetch_all(&db).await;
    String::new()
}

fn main() { let _r: Router = Router::new().route("/u/{name}", get(by_name)); }
"#;

#[test]
fn sql_built_from_extractor_bindings_is_an_error_others_a_warning() {
    let found: Vec<_> = check(&[("main.rs", SQLI)])
        .into_iter()
        .filter(|d| d.rule.code == "RS002")
        .collect();
    let sqli: Vec<_> = found.iter().filter(|d| d.rule.code == "RS002").collect();
    assert_eq!(
        positions(&found),
        vec![("RS002", 7, 19, 7, 23), ("RS002", 9, 19, 9, 55)]
    );
    assert_eq!(sqli[0].severity, Severity::Error);
    assert_eq!(
        sqli[0].message,
        "query string built from request input `name` is passed to `sqlx::query`"
    );
    assert_eq!(sqli[1].severity, Severity::Warning);
    assert_eq!(
        sqli[1].message,
        "query string built at run time from `table` is passed to `sqlx::query`"
    );
}

const BLOCKING: &str = r#"use std::thread::sleep as block;
use tokio::time::sleep;

async fn h() {
    block(std::time::Duration::from_millis(1));
    sleep(std::time::Duration::from_millis(1)).await;
    tokio::task::spawn_blocking(|| std::fs::read("x")).await.ok();
    let _ = async { std::fs::read("y") }.await;
}

fn sync_helper() { let _ = std::fs::read("z"); }

async fn served() {}
pub fn app() -> axum::Router { axum::Router::new().route("/", axum::routing::get(served)) }
"#;

#[test]
fn blocking_calls_resolve_through_use_aliases_and_offloading_is_quiet() {
    let found: Vec<_> = check(&[("lib.rs", BLOCKING)])
        .into_iter()
        .filter(|d| d.rule.code == "RS003")
        .collect();
    assert_eq!(
        positions(&found),
        vec![("RS003", 5, 5, 5, 47), ("RS003", 8, 21, 8, 39)]
    );
    assert_eq!(
        found[0].message,
        "blocking call `std::thread::sleep` in async function `h`"
    );
}

const CORS_TLS: &str = r#"use tower_http::cors::{Any, CorsLayer};

fn public() { let _open = CorsLayer::new().allow_origin(Any); }
fn layers() {
    let _creds = CorsLayer::new().allow_origin(Any).allow_credentials(true);
    let _c = reqwest::Client::builder().danger_accept_invalid_certs(true).build();
}
"#;

#[test]
fn cors_with_credentials_and_disabled_tls_checks_are_reported() {
    let found = check(&[("lib.rs", CORS_TLS)]);
    assert_eq!(
        positions(&found),
        vec![("RS005", 5, 35, 5, 52), ("RS004", 6, 41, 6, 74)]
    );
}

#[test]
fn files_of_a_cfg_test_module_declared_elsewhere_are_test_code() {
    let secret = "pub fn token() -> String { let publish_token = \"publish-token-baz-7f1d\"; publish_token.into() }\n";
    let found = check(&[
        ("Cargo.toml", "[package]\nname = \"metastore\"\n"),
        (
            "src/lib.rs",
            "mod db;\n#[cfg(test)]\npub(crate) mod tests;\n",
        ),
        ("src/db.rs", secret),
        ("src/tests/mod.rs", "mod shard;\n"),
        ("src/tests/shard.rs", secret),
    ]);
    let files: Vec<&str> = found
        .iter()
        .filter(|d| d.rule.code == "RS030")
        .map(|d| d.file.display_path())
        .collect();
    assert_eq!(files, ["src/db.rs"]);
}

#[test]
fn secrets_are_masked_and_test_code_is_quiet() {
    let text = "const API_KEY: &str = \"k3y-7f1d9a2e44c1\";\n#[cfg(test)]\nmod t { const API_KEY: &str = \"k3y-7f1d9a2e44c1\"; }\n";
    let found = check(&[("lib.rs", text)]);
    assert_eq!(positions(&found), vec![("RS030", 1, 23, 1, 41)]);
    assert_eq!(
        found[0].message,
        "hard-coded secret \"k3y-…\" (16 characters) assigned to `API_KEY`"
    );
    assert!(!found[0].message.contains("7f1d9a2e44c1"));
}
