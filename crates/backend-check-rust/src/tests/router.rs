//! The router model: prefixes and middleware of nested routers, scopes and mounts.

use super::write_tree;
use crate::load_model;

/// `(name, route, layers joined)` of every handler, sorted.
fn routes(files: &[(&str, &str)]) -> Vec<(String, String, String)> {
    let (_dir, paths) = write_tree(files);
    let (_, handlers) = load_model(&paths);
    let mut out: Vec<(String, String, String)> = handlers
        .iter()
        .map(|h| {
            let layers: Vec<String> = h.context.layers.iter().map(|l| l.join("::")).collect();
            (h.name.clone(), h.route(), layers.join(" | "))
        })
        .collect();
    out.sort();
    out
}

fn row(name: &str, route: &str, layers: &str) -> (String, String, String) {
    (name.to_owned(), route.to_owned(), layers.to_owned())
}

const AXUM_MAIN: &str = r#"mod api;
use axum::{middleware, routing::get, Router};
use api::users::list as list_users;

fn app() -> Router {
    let admin = Router::new()
        .route("/stats", get(api::stats))
        .route_layer(middleware::from_fn(require_admin));
    Router::new()
        .route("/health", get(health))
        .nest("/api/v1", api::routes().layer(TraceLayer::new_for_http()))
        .nest("/admin", admin)
        .route("/people", get(list_users))
}

async fn health() {}
async fn require_admin() {}
fn main() {}
"#;

const AXUM_API: &str = r#"pub mod users;
use axum::{middleware::from_fn, routing::{get, post}, Router};

pub fn routes() -> Router {
    Router::new()
        .route("/users", post(users::create))
        .route_layer(from_fn(auth_middleware))
        .route("/users/{id}", get(users::list))
}

pub async fn stats() {}
async fn auth_middleware() {}
"#;

#[test]
fn axum_nested_routers_carry_prefixes_and_route_layers() {
    let found = routes(&[
        ("Cargo.toml", "[package]\nname = \"svc\"\n"),
        ("src/main.rs", AXUM_MAIN),
        ("src/api/mod.rs", AXUM_API),
        (
            "src/api/users.rs",
            "pub async fn create() {}\npub async fn list() {}\n",
        ),
    ]);
    assert_eq!(
        found,
        vec![
            row(
                "create",
                "POST /api/v1/users",
                "from_fn::auth_middleware | TraceLayer::new_for_http"
            ),
            row("health", "GET /health", ""),
            row("list", "GET /api/v1/users/{id}", "TraceLayer::new_for_http"),
            row("list", "GET /people", ""),
            row(
                "stats",
                "GET /admin/stats",
                "middleware::from_fn::require_admin"
            ),
        ]
    );
}

const ACTIX: &str = r#"use actix_web::{get, post, web, App, HttpServer};

#[get("/{id}")]
async fn show(id: web::Path<u32>) -> String { id.to_string() }

#[post("")]
async fn create(body: web::Json<String>) -> String { body.into_inner() }

async fn list() -> String { String::new() }

fn users(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/all").route(web::get().to(list)));
}

fn main() {
    let _ = HttpServer::new(|| {
        App::new()
            .wrap(Logger::default())
            .service(
                web::scope("/users")
                    .wrap(HttpAuthentication::bearer(validator))
                    .service(show)
                    .service(create),
            )
            .service(web::scope("/public").configure(users))
    });
}
"#;

#[test]
fn actix_scopes_wraps_services_and_configure() {
    let found = routes(&[
        ("Cargo.toml", "[package]\nname = \"a\"\n"),
        ("src/main.rs", ACTIX),
    ]);
    assert_eq!(
        found,
        vec![
            row(
                "create",
                "POST /users",
                "HttpAuthentication::bearer::validator | Logger::default"
            ),
            row("list", "GET /public/all", "Logger::default"),
            row(
                "show",
                "GET /users/{id}",
                "HttpAuthentication::bearer::validator | Logger::default"
            ),
        ]
    );
}

const ROCKET: &str = r#"#[macro_use] extern crate rocket;

#[get("/<id>")]
fn show(id: u32) -> String { id.to_string() }

#[post("/", data = "<body>")]
fn create(body: String) -> String { body }

#[launch]
fn rocket() -> _ {
    rocket::build()
        .mount("/items", routes![show, create])
}
"#;

#[test]
fn rocket_mount_bases_prefix_routes() {
    let found = routes(&[
        ("Cargo.toml", "[package]\nname = \"r\"\n"),
        ("src/main.rs", ROCKET),
    ]);
    assert_eq!(
        found,
        vec![
            row("create", "POST /items/", ""),
            row("show", "GET /items/<id>", ""),
        ]
    );
}
