//! The handler model on warp, utoipa-axum and aide.

use super::write_tree;
use crate::load_model;

fn routes(files: &[(&str, &str)]) -> Vec<(String, String, String)> {
    let (_dir, paths) = write_tree(files);
    let (_, handlers) = load_model(&paths);
    let mut out: Vec<(String, String, String)> = handlers
        .iter()
        .map(|h| (h.name.clone(), h.route(), h.framework.to_string()))
        .collect();
    out.sort();
    out
}

fn row(name: &str, route: &str, framework: &str) -> (String, String, String) {
    (name.to_owned(), route.to_owned(), framework.to_owned())
}

const WARP: &str = r#"use warp::Filter;

async fn create_user(body: User) -> Result<impl warp::Reply, warp::Rejection> {
    Ok(warp::reply())
}

#[tokio::main]
async fn main() {
    let hello = warp::path!("hello" / String).map(|name| format!("Hello, {}!", name));
    let create = warp::path("users")
        .and(warp::post())
        .and(warp::body::json())
        .and_then(create_user);
    let item = warp::path!("items" / u32).and(warp::delete()).then(|id| async move { id.to_string() });
    let numbers: Vec<u32> = vec![1, 2].into_iter().map(|n| n + 1).collect();
    warp::serve(hello.or(create).or(item)).run(([127, 0, 0, 1], 3030)).await;
}
"#;

#[test]
fn warp_filter_chains_register_their_handlers() {
    let found = routes(&[
        ("Cargo.toml", "[package]\nname = \"w\"\n"),
        ("src/main.rs", WARP),
    ]);
    assert_eq!(
        found,
        vec![
            row("create_user", "POST /users", "warp"),
            row("{closure}", "ANY /hello/{String}", "warp"),
            row("{closure}", "DELETE /items/{u32}", "warp"),
        ]
    );
}

const UTOIPA_MAIN: &str = r#"mod users;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> axum::Router {
    let (router, _api) = OpenApiRouter::new()
        .routes(routes!(users::list, users::create))
        .split_for_parts();
    router
}
"#;

const UTOIPA_USERS: &str = r#"#[utoipa::path(get, path = "/api/users", responses((status = 200)))]
pub async fn list() -> String { String::new() }

#[utoipa::path(post, path = "/api/users", request_body = NewUser)]
pub async fn create() -> String { String::new() }

/// Documented but not registered with `routes!`: not a handler.
#[utoipa::path(delete, path = "/api/users/{id}")]
pub async fn remove() -> String { String::new() }
"#;

#[test]
fn utoipa_axum_routes_macro_links_documented_handlers() {
    let found = routes(&[
        ("Cargo.toml", "[package]\nname = \"u\"\n"),
        ("src/lib.rs", UTOIPA_MAIN),
        ("src/users.rs", UTOIPA_USERS),
    ]);
    assert_eq!(
        found,
        vec![
            row("create", "POST /api/users", "axum"),
            row("list", "GET /api/users", "axum"),
        ]
    );
}

const AIDE: &str = r#"use aide::axum::{routing::{get_with, post_with}, ApiRouter};

async fn list() -> String { String::new() }
async fn create() -> String { String::new() }

pub fn app() -> ApiRouter {
    ApiRouter::new()
        .api_route("/todos", get_with(list, |op| op.description("all")).post_with(create, |op| op))
}
"#;

#[test]
fn aide_api_routes_register_their_handlers() {
    let found = routes(&[
        ("Cargo.toml", "[package]\nname = \"a\"\n"),
        ("src/lib.rs", AIDE),
    ]);
    assert_eq!(
        found,
        vec![
            row("create", "POST /todos", "axum"),
            row("list", "GET /todos", "axum"),
        ]
    );
}
