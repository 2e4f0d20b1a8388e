//! Tests of the whole analyzer on files written to a temporary folder.

use std::path::{Path, PathBuf};

use backend_check_core::testing::TestRun;
use backend_check_core::Diagnostic;

use crate::{analyze, load_model, Framework, Method, RULES};

/// Writes `files` (relative path, text) below a fresh folder.
fn write_tree(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        if name.ends_with(".rs") {
            paths.push(path);
        }
    }
    (dir, paths)
}

fn run(paths: &[PathBuf], root: &Path) -> Vec<Diagnostic> {
    // Every rule, the nursery ones included (`ALL` leaves them out).
    let mut diagnostics = TestRun::new(RULES, root, paths)
        .select(&["ALL", "nursery"])
        .run(analyze)
        .diagnostics;
    diagnostics.retain(|d| !APPLICATION_RULES.contains(&d.rule.code));
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics
}

/// Rules about a whole application (auth, rate limits, layering), which fire
/// on most small test programs; they are tested in `tests/app_rules.rs`.
const APPLICATION_RULES: &[&str] = &["RS007", "RS008", "RS009", "RS010"];

fn check(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let (dir, paths) = write_tree(files);
    run(&paths, dir.path())
}

/// `(code, line, column, end line, end column)` of each finding.
fn positions(diagnostics: &[Diagnostic]) -> Vec<(&'static str, usize, usize, usize, usize)> {
    diagnostics
        .iter()
        .map(|d| {
            let (s, e) = (d.start(), d.end());
            (d.rule.code, s.line, s.column, e.line, e.column)
        })
        .collect()
}

mod app_rules;
mod call_graph;
mod flow_rules;
mod frameworks;
mod router;
mod rules;

const AXUM_SINGLE: &str = r#"use axum::{routing::get, Router};

async fn get_user(Path(id): Path<u64>) -> String {
    let n: u64 = "7".parse().unwrap();
    format!("{}", n + id)
}

fn helper() -> u32 {
    "1".parse().unwrap()
}

fn main() {
    let _app: Router = Router::new().route("/users/{id}", get(get_user));
}
"#;

#[test]
fn unwrap_in_axum_handler_is_reported_at_the_call() {
    let found = check(&[("main.rs", AXUM_SINGLE)]);
    assert_eq!(positions(&found), vec![("RS001", 4, 30, 4, 38)]);
    let d = &found[0];
    assert_eq!(d.snippet(), "unwrap()");
    assert_eq!(
        d.message,
        "`.unwrap()` in request handler `get_user` panics the request on failure"
    );
    assert_eq!(d.labels.len(), 1);
    assert_eq!(d.file.slice(d.labels[0].span), "get_user");
    assert_eq!(
        d.labels[0].message,
        "request handler registered for GET /users/{id}"
    );
    assert!(d.help.as_deref().unwrap().contains("IntoResponse"));
}

#[test]
fn multibyte_text_and_crlf_keep_columns_exact() {
    let text = "use axum::{routing::get, Router};\r\n\r\n// héllo wörld — ünïcode\r\nasync fn h() -> String {\r\n    let s = \"ü€\"; let n: u8 = s.len().try_into().expect(\"small\");\r\n    n.to_string()\r\n}\r\n\r\nfn main() { let _r: Router = Router::new().route(\"/\", get(h)); }\r\n";
    let found = check(&[("main.rs", text)]);
    assert_eq!(positions(&found), vec![("RS001", 5, 50, 5, 65)]);
    assert_eq!(found[0].snippet(), "expect(\"small\")");
}

#[test]
fn byte_order_mark_does_not_shift_the_first_line() {
    let text = "\u{feff}async fn h() -> u8 { \"1\".parse().unwrap() }\nfn main() { let _r: axum::Router = axum::Router::new().route(\"/\", axum::routing::get(h)); }\n";
    let found = check(&[("main.rs", text)]);
    assert_eq!(positions(&found), vec![("RS001", 1, 35, 1, 43)]);
    assert_eq!(found[0].snippet(), "unwrap()");
}

#[test]
fn handlers_resolve_through_use_aliases_across_files() {
    let (dir, paths) = write_tree(&[
        ("Cargo.toml", "[package]\nname = \"svc\"\n"),
        (
            "src/main.rs",
            "mod handlers;\nuse axum::routing::{get, post};\nuse crate::handlers::users::{self, create as create_user};\n\nfn app() -> axum::Router {\n    axum::Router::new()\n        .route(\"/users\", post(create_user).get(users::list))\n        .route(\"/users/:id\", axum::routing::on(axum::routing::MethodFilter::PUT, handlers::users::Api::update))\n        .route(\"/health\", get(|| async { \"ok\" }))\n}\nfn main() {}\n",
        ),
        ("src/handlers/mod.rs", "pub mod users;\n"),
        (
            "src/handlers/users.rs",
            "pub async fn create() -> String {\n    std::env::var(\"X\").unwrap()\n}\npub async fn list() -> String { String::new() }\npub struct Api;\nimpl Api {\n    pub async fn update() {}\n}\n",
        ),
    ]);
    let (_, handlers) = load_model(&paths);
    let mut summary: Vec<(String, String, Framework)> = handlers
        .iter()
        .map(|h| (h.name.clone(), h.route(), h.framework))
        .collect();
    summary.sort();
    assert_eq!(
        summary,
        vec![
            (
                "create".to_owned(),
                "POST /users".to_owned(),
                Framework::Axum
            ),
            ("list".to_owned(), "GET /users".to_owned(), Framework::Axum),
            (
                "update".to_owned(),
                "PUT /users/:id".to_owned(),
                Framework::Axum
            ),
            (
                "{closure}".to_owned(),
                "GET /health".to_owned(),
                Framework::Axum
            ),
        ]
    );
    let create = handlers.iter().find(|h| h.name == "create").unwrap();
    assert!(create.file.path().ends_with("src/handlers/users.rs"));
    assert_eq!(create.file.line_col(create.name_span.start).line, 1);
    assert_eq!(create.file.line_col(create.name_span.start).column, 14);

    let found = run(&paths, dir.path());
    assert_eq!(positions(&found), vec![("RS001", 2, 24, 2, 32)]);
    assert!(found[0].file.path().ends_with("users.rs"));
    assert_eq!(
        found[0].labels[0].message,
        "request handler registered for POST /users"
    );
}

#[test]
fn reexports_globs_self_and_super_resolve() {
    let (_dir, paths) = write_tree(&[
        ("Cargo.toml", "[package]\nname = \"svc\"\n"),
        (
            "src/lib.rs",
            "pub mod api;\nmod routes {\n    use super::api::*;\n    pub struct R;\n    impl R {\n        pub fn build() -> axum::Router {\n            axum::Router::new().route(\"/a\", axum::routing::get(ping)).route(\"/b\", axum::routing::get(Self::own))\n        }\n        async fn own() {}\n    }\n}\n",
        ),
        ("src/api/mod.rs", "mod inner;\npub use self::inner::ping;\n"),
        ("src/api/inner.rs", "pub async fn ping() {}\n"),
    ]);
    let (_, handlers) = load_model(&paths);
    let mut names: Vec<String> = handlers
        .iter()
        .map(|h| format!("{} {}", h.name, h.route()))
        .collect();
    names.sort();
    assert_eq!(names, vec!["own GET /b", "ping GET /a"]);
}

const ACTIX: &str = r#"use actix_web::{get, route, web, App, HttpResponse, Responder};

#[get("/users/{id}")]
async fn get_user(id: web::Path<u32>) -> impl Responder { HttpResponse::Ok() }

#[actix_web::post("/users")]
async fn create_user() -> impl Responder { HttpResponse::Created() }

#[route("/any", method = "GET", method = "HEAD")]
async fn multi() -> impl Responder { HttpResponse::Ok() }

async fn stats() -> impl Responder { HttpResponse::Ok() }
async fn export() -> impl Responder { HttpResponse::Ok() }
async fn all() -> impl Responder { HttpResponse::Ok() }
async fn guarded() -> impl Responder { HttpResponse::Ok() }

fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/stats").route(web::get().to(stats)).route(web::delete().to(stats)))
        .route("/export", web::post().to(export))
        .service(web::resource("/all").to(all))
        .route("/guarded", web::route().guard(actix_web::guard::Patch()).to(guarded));
}
"#;

#[test]
fn actix_attributes_and_registrations_are_handlers() {
    let (_dir, paths) = write_tree(&[("main.rs", ACTIX)]);
    let (_, handlers) = load_model(&paths);
    let mut summary: Vec<String> = handlers
        .iter()
        .map(|h| format!("{} {} {}", h.framework, h.name, h.route()))
        .collect();
    summary.sort();
    assert_eq!(
        summary,
        vec![
            "actix-web all ANY /all",
            "actix-web create_user POST /users",
            "actix-web export POST /export",
            "actix-web get_user GET /users/{id}",
            "actix-web guarded PATCH /guarded",
            "actix-web multi GET, HEAD /any",
            "actix-web stats DELETE /stats",
            "actix-web stats GET /stats",
        ]
    );
}

#[test]
fn rocket_attributes_are_handlers() {
    let text = "#[macro_use] extern crate rocket;\n\n#[get(\"/\")]\nfn index() -> &'static str { \"hi\" }\n\n#[post(\"/items\", data = \"<item>\")]\nfn add(item: String) -> String { item }\n\n#[rocket::put(\"/items/<id>\")]\nfn put(id: u32) {}\n\n#[route(DELETE, uri = \"/items/<id>\")]\nfn remove(id: u32) {}\n";
    let (_dir, paths) = write_tree(&[("main.rs", text)]);
    let (_, handlers) = load_model(&paths);
    let summary: Vec<String> = handlers
        .iter()
        .map(|h| format!("{} {} {}", h.framework, h.name, h.route()))
        .collect();
    assert_eq!(
        summary,
        vec![
            "rocket index GET /",
            "rocket add POST /items",
            "rocket put PUT /items/<id>",
            "rocket remove DELETE /items/<id>",
        ]
    );
    assert_eq!(handlers[1].methods, vec![Method::Post]);
}

#[test]
fn unwraps_inside_macros_closures_and_async_blocks_count() {
    let text = r#"use axum::{routing::get, Router};
async fn h() -> String {
    tracing::info!(user = %"x".parse::<u8>().unwrap(), "msg");
    let v = serde_json::json!({ "a": { "b": "1".parse::<u8>().unwrap() } });
    let f = || "2".parse::<u8>().unwrap();
    let t = tokio::spawn(async { "3".parse::<u8>().unwrap() });
    assert!(v.is_object(), "{}", "4".parse::<u8>().unwrap());
    format!("{} {:?}", f(), t)
}
fn main() { let _r: Router = Router::new().route("/", get(h)); }
"#;
    let found = check(&[("main.rs", text)]);
    let lines: Vec<usize> = found.iter().map(|d| d.start().line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7]);
    assert!(found.iter().all(|d| d.snippet() == "unwrap()"));
}

#[test]
fn test_code_and_non_panicking_calls_are_quiet() {
    let found = check(&[
        ("Cargo.toml", "[package]\nname = \"p\"\n"),
        (
            "src/main.rs",
            r#"use axum::{routing::get, Router};
async fn ok(x: Option<u8>) -> u8 {
    let a = x.unwrap_or_default();
    let b = x.unwrap_or(1);
    let c = x.unwrap_or_else(|| 2);
    a + b + c
}
fn not_a_handler() -> u8 { Some(1).unwrap() }
fn main() { let _r: Router = Router::new().route("/", get(ok)); }
#[cfg(test)]
mod tests {
    async fn t() -> u8 { Some(1).unwrap() }
    #[tokio::test]
    async fn it() { let _r: axum::Router = axum::Router::new().route("/t", axum::routing::get(t)); }
}
#[cfg(all(test, feature = "x"))]
async fn also_test() -> u8 { Some(1).unwrap() }
#[sqlx::test]
async fn db_test() { Some(1).unwrap(); }
"#,
        ),
        (
            "tests/api.rs",
            "async fn t() -> u8 { Some(1).unwrap() }\nfn app() { let _r: axum::Router = axum::Router::new().route(\"/\", axum::routing::get(t)); }\n",
        ),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn syntax_error_is_one_finding_at_syn_span() {
    let found = check(&[("bad.rs", "fn main() {\n    let x = ;\n}\n")]);
    assert_eq!(positions(&found), vec![("RS000", 2, 13, 2, 14)]);
    assert!(
        found[0].message.starts_with("cannot parse Rust source: "),
        "{}",
        found[0].message
    );
}

#[test]
fn syntax_error_after_multibyte_text_and_crlf() {
    let found = check(&[(
        "bad.rs",
        "// ünïcödé\r\nfn main() { let s = \"€€\"; let x = ; }\r\n",
    )]);
    assert_eq!(positions(&found), vec![("RS000", 2, 35, 2, 36)]);
}

#[test]
fn unclosed_delimiter_and_end_of_input() {
    let found = check(&[
        ("a.rs", "fn main() {\n    let x = 1;\n"),
        ("b.rs", "fn f() { ) }\n"),
    ]);
    let codes: Vec<&str> = found.iter().map(|d| d.rule.code).collect();
    assert_eq!(codes, vec!["RS000", "RS000"]);
    assert_eq!(found[1].start().line, 1);
}

#[test]
fn invalid_utf8_and_unreadable_files_are_parse_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.rs");
    std::fs::write(&bad, b"fn main() {}\n// \xff\n").unwrap();
    let missing = dir.path().join("missing.rs");
    let found = run(&[bad, missing], dir.path());
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].message, "file is not valid UTF-8");
    assert_eq!((found[0].start().line, found[0].start().column), (2, 4));
    assert!(found[1]
        .message
        .starts_with("cannot read Rust source file: "));
}

#[test]
fn every_file_read_is_in_the_output() {
    let (dir, paths) = write_tree(&[("a.rs", "fn a() {}\n"), ("b.rs", "fn b( {}\n")]);
    let output = TestRun::new(RULES, dir.path(), &paths).run(analyze);
    assert_eq!(output.files.len(), 2);
}

#[test]
fn rule_docs_have_the_headings() {
    for rule in RULES {
        assert!(rule.missing_doc_headings().is_empty(), "{}", rule.code);
    }
}
