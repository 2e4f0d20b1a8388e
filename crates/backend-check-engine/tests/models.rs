//! The models the analyzers hand out, on the demo service: the spec's
//! operations, the code's routes and the queries it sends.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::Path;

use backend_check_engine::{Engine, Session};
use backend_check_openapi::inventory::Method as SpecMethod;
use backend_check_rust::inventory::Method as CodeMethod;

fn demo_report() -> backend_check_engine::Report {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo-service");
    Engine::new()
        .check(&Session {
            models: true,
            ..Session::new(demo)
        })
        .expect("the demo runs")
}

#[test]
fn the_spec_model_lists_each_operation_with_its_security() {
    let report = demo_report();
    let spec = report.models.openapi().expect("an OpenAPI model");
    let [document] = spec.documents.as_slice() else {
        panic!("one document: {:?}", spec.documents.len());
    };
    assert_eq!(document.file.display_path(), "openapi.yaml");
    let ops: Vec<String> = document
        .operations
        .iter()
        .map(|o| format!("{} {}", o.method.as_upper(), o.path))
        .collect();
    assert!(ops.contains(&"GET /orders/{id}".to_owned()), "{ops:?}");
    assert!(
        ops.contains(&"POST /orders/{id}/cancel".to_owned()),
        "{ops:?}"
    );
    let get_order = document
        .operations
        .iter()
        .find(|o| o.method == SpecMethod::Get && o.path == "/orders/{id}")
        .unwrap();
    let id = get_order
        .parameters
        .iter()
        .find(|p| p.name == "id")
        .unwrap();
    assert_eq!(id.location, "path");
    assert!(id.required);
    // The span is the method key, in the operation's file.
    let text = &get_order.file.text()[get_order.span.start..get_order.span.end];
    assert_eq!(text, "get");
    assert!(get_order.responses.iter().any(|r| r == "200"));
    assert!(!document.security_schemes.is_empty());
    assert!(document.operations.iter().any(|o| o.is_secured()));
}

#[test]
fn the_code_model_lists_routes_with_full_paths_and_the_sql_they_send() {
    let report = demo_report();
    let code = report.models.rust().expect("a Rust model");
    let get_user = code
        .routes
        .iter()
        .find(|r| r.handler == "get_user")
        .expect("the get_user route");
    assert_eq!(get_user.methods, [CodeMethod::Get]);
    assert_eq!(get_user.path.as_deref(), Some("/v1/users/{id}"));
    assert!(
        get_user.extractors.iter().any(|e| e == "Path<Uuid>"),
        "{:?}",
        get_user.extractors
    );
    assert_eq!(get_user.file.display_path(), "src/handlers/users.rs");
    assert!(code
        .routes
        .iter()
        .any(|r| r.path.as_deref() == Some("/health")));

    let update = code
        .queries
        .iter()
        .find(|q| q.text.starts_with("UPDATE orders SET status"))
        .expect("the UPDATE of cancel_order");
    assert_eq!(update.function, "cancel_order");
    assert_eq!(update.callee, "sqlx::query");
    assert!(!update.is_macro);
    let literal = &update.file.text()[update.span.start..update.span.end];
    assert!(literal.starts_with("\"UPDATE orders"), "{literal}");
    // A query built at run time (`&sql` from `format!`) is not a written query.
    assert!(!code.queries.iter().any(|q| q.function == "search_users"));
}

#[test]
fn the_schema_model_is_the_replay_of_each_set() {
    let report = demo_report();
    let sql = report.models.sql().expect("an SQL model");
    let [one] = sql.sets.as_slice() else {
        panic!("one migration set: {}", sql.sets.len());
    };
    assert!(one.set.dir.ends_with("migrations"));
    assert_eq!(one.set.migrations.len(), 7);
    let catalog = one.catalog.as_ref().expect("the set was replayed");
    let names: Vec<String> = catalog.tables.keys().map(|t| t.to_string()).collect();
    assert!(names.iter().any(|n| n.ends_with("orders")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with("users")), "{names:?}");
    // Per migration on demand: the first migration creates users only.
    let each = one.catalogs_by_migration();
    assert_eq!(each.len(), 7);
    assert!(each[0]
        .tables
        .keys()
        .all(|t| !t.to_string().ends_with("orders")));
    assert_eq!(each.last(), Some(catalog));
}
