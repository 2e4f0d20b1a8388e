//! The one-level call graph: the crate functions a handler calls directly.

use super::write_tree;
use crate::load_model;

const CALLS_MAIN: &str = r#"mod repo;
use axum::{routing::post, Router};
use repo::insert as save;

struct Orders;
impl Orders {
    fn total_with_tax(&self, cents: i64) -> i64 { cents }
}

async fn create(orders: Orders) -> String {
    let id = save(1);
    let again = repo::insert(2);
    let total = orders.total_with_tax(id);
    let n = vec![1].len();
    format!("{id} {again} {total} {n} {}", helper())
}

fn helper() -> u8 { 1 }

#[cfg(test)]
mod tests { pub fn only_in_tests() {} }

fn main() { let _r: Router = Router::new().route("/orders", post(create)); }
"#;

#[test]
fn direct_callees_resolve_aliases_modules_and_unique_methods() {
    let (_dir, paths) = write_tree(&[
        ("Cargo.toml", "[package]\nname = \"c\"\n"),
        ("src/main.rs", CALLS_MAIN),
        (
            "src/repo.rs",
            "pub fn insert(n: i64) -> i64 { n }\npub fn len() -> usize { 0 }\n",
        ),
    ]);
    let (model, handlers) = load_model(&paths);
    let handler = handlers.iter().find(|h| h.name == "create").unwrap();
    let callees: Vec<(String, Vec<String>, String)> = model
        .direct_callees(handler.function)
        .iter()
        .map(|c| {
            let def = model.function(c.function).unwrap();
            let file = &model.file(handler.function.file).unwrap().file;
            (
                def.name.clone(),
                model.module_of(c.function),
                file.slice(c.span).to_owned(),
            )
        })
        .collect();
    assert_eq!(
        callees,
        vec![
            (
                "insert".to_owned(),
                vec!["repo".to_owned()],
                "save(1)".to_owned()
            ),
            ("helper".to_owned(), vec![], "helper()".to_owned()),
            (
                "total_with_tax".to_owned(),
                vec![],
                "total_with_tax(id)".to_owned()
            ),
        ]
    );
}
