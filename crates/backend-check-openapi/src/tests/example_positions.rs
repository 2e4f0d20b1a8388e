//! Exact positions of example-validation findings (the fixtures of rules
//! OAS080–OAS099 run in the workspace harness, `tests/`).

use std::path::{Path, PathBuf};

use backend_check_core::testing::TestRun;

use crate::{analyze, RULES};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(paths: &[PathBuf], select: &[&str]) -> Vec<backend_check_core::Diagnostic> {
    TestRun::new(RULES, Path::new("/"), paths)
        .select(select)
        .run(analyze)
        .diagnostics
}

#[test]
fn example_findings_point_inside_the_example() {
    let dir = repo().join("fixtures/openapi/OAS080-invalid-example");
    let found: Vec<(usize, usize, String)> = run(&[dir.join("fail.yaml")], &["OAS080"])
        .iter()
        .map(|d| (d.start().line, d.start().column, d.message.clone()))
        .collect();
    assert!(found.contains(&(
        37,
        27,
        "example value at `[1].status` \"shipped\" is not one of the schema's `enum` values"
            .to_owned()
    )));
    assert!(found.contains(&(
        55,
        7,
        "example lacks the required property \"total\"".to_owned()
    )));
    assert!(found.contains(&(
        73,
        9,
        "example value at `coupon` is not a declared property and the schema has `additionalProperties: false`".to_owned()
    )));
    let json = repo().join("fixtures/openapi/OAS080-invalid-example/fail-3.0.json");
    let found: Vec<(usize, usize)> = run(&[json], &["OAS080"])
        .iter()
        .map(|d| (d.start().line, d.start().column))
        .collect();
    assert_eq!(found, [(13, 28)]);
}
