//! The application rules (RS007–RS010) on small programs.

use backend_check_core::testing::TestRun;
use backend_check_core::{Config, Diagnostic, Severity};

use super::write_tree;
use crate::{analyze, RULES};

fn run_rule(code: &str, files: &[(&str, &str)], config: &Config) -> Vec<Diagnostic> {
    let (dir, paths) = write_tree(files);
    let mut found: Vec<Diagnostic> = TestRun::new(RULES, dir.path(), &paths)
        .select(&[code])
        .config(config)
        .run(analyze)
        .diagnostics
        .into_iter()
        .filter(|d| d.rule.code == code)
        .collect();
    found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    found
}

fn lines(found: &[Diagnostic]) -> Vec<(usize, usize, String)> {
    found
        .iter()
        .map(|d| (d.start().line, d.start().column, d.message.clone()))
        .collect()
}

const OPEN_APP: &str = r#"use axum::{routing::{get, post}, Router};
async fn create() {}
async fn update() {}
async fn list() {}
pub fn app() -> Router {
    Router::new().route("/a", post(create)).route("/b", post(update)).route("/c", get(list))
}
"#;

#[test]
fn an_application_without_any_auth_gets_one_finding() {
    let found = run_rule("RS007", &[("main.rs", OPEN_APP)], &Config::default());
    assert_eq!(
        lines(&found),
        vec![(2, 10, "no route of this application authenticates its caller; 2 write or admin routes are open, starting with `POST /a`".to_owned())]
    );
}

const MOSTLY_AUTH: &str = r#"use axum::{routing::{get, post}, Router};
async fn create(user: AuthUser) {}
async fn update() {}
pub fn app() -> Router {
    Router::new().route("/a", post(create)).route("/b/{id}", post(update).get(update))
}
"#;

#[test]
fn one_open_write_route_among_authenticated_ones_is_reported_per_route() {
    let found = run_rule("RS007", &[("main.rs", MOSTLY_AUTH)], &Config::default());
    assert_eq!(
        lines(&found),
        vec![(
            3,
            10,
            "`POST /b/{id}` (handler `update`) is reachable without authentication".to_owned()
        )]
    );
    assert_eq!(found[0].severity, Severity::Warning);
    let mut config = Config::default();
    config.rust.public_paths.push("/b/*".to_owned());
    assert!(run_rule("RS007", &[("main.rs", MOSTLY_AUTH)], &config).is_empty());
}

const PRICING: &str = r#"use axum::{routing::post, Json, Router};
async fn checkout(Json(cart): Json<Cart>) -> String {
    let mut subtotal = 0;
    for line in &cart.lines {
        subtotal += line.unit_cents * line.qty;
    }
    let discount = if subtotal > 10_000 { subtotal / 10 } else { 0 };
    let tax = (subtotal - discount) * 19 / 100;
    let shipping = if cart.express { 1_500 } else { 500 + cart.weight_g / 1_000 * 100 };
    (subtotal - discount + tax + shipping).to_string()
}
async fn thin(Json(cart): Json<Cart>) -> String {
    let page = (cart.page - 1) * cart.per_page;
    page.to_string()
}
pub fn app() -> Router { Router::new().route("/checkout", post(checkout)).route("/thin", post(thin)) }
"#;

#[test]
fn inline_pricing_arithmetic_is_over_budget_and_thin_handlers_pass() {
    let found = run_rule("RS010", &[("main.rs", PRICING)], &Config::default());
    assert_eq!(
        lines(&found),
        vec![(
            2,
            10,
            "request handler `checkout` holds business logic: 12 arithmetic operations (budget 8)"
                .to_owned()
        )]
    );
    let mut config = Config::default();
    config.rust.max_handler_arithmetic = 20;
    assert!(run_rule("RS010", &[("main.rs", PRICING)], &config).is_empty());
}

#[test]
fn rate_limit_is_one_info_at_the_router_and_quiet_with_a_governor() {
    let found = run_rule("RS008", &[("main.rs", OPEN_APP)], &Config::default());
    assert_eq!(
        lines(&found),
        vec![(
            6,
            5,
            "no rate limiter in this application (3 routes served without a request limit)"
                .to_owned()
        )]
    );
    assert_eq!(found[0].severity, Severity::Info);
    let limited = OPEN_APP.replace(
        "get(list))\n",
        "get(list)).layer(GovernorLayer { config })\n",
    );
    assert!(run_rule("RS008", &[("main.rs", &limited)], &Config::default()).is_empty());
}
