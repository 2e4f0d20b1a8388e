use super::*;
use crate::load::{parse, Format};

fn problems(yaml: &str) -> Vec<(usize, String)> {
    let tree = parse(yaml, Format::Yaml).unwrap();
    let version = SpecVersion::detect(&tree);
    check_document(&tree, version)
        .into_iter()
        .map(|p| (yaml[..p.span.start].matches('\n').count() + 1, p.message))
        .collect()
}

#[test]
fn edit_distance_counts_edits() {
    assert_eq!(edit_distance("respones", "responses"), 1);
    assert_eq!(edit_distance("Summary", "summary"), 0);
    assert_eq!(edit_distance("", "abc"), 3);
}

#[test]
fn ref_syntax() {
    assert_eq!(ref_syntax_problem("#/components/schemas/Pet", true), None);
    assert_eq!(ref_syntax_problem("pet.yaml", true), None);
    assert_eq!(ref_syntax_problem("", true), Some("is empty"));
    assert_eq!(
        ref_syntax_problem("#/a b", true),
        Some("contains whitespace")
    );
    assert!(ref_syntax_problem("#components/schemas/Pet", true).is_some());
    assert_eq!(ref_syntax_problem("#anchor", false), None);
}

#[test]
fn reports_unknown_wrong_and_missing() {
    let yaml = "openapi: 3.0.3\ninfo:\n  title: t\npaths:\n  /pets:\n    get:\n      respones: {}\n      deprecated: 'yes'\n";
    let found = problems(yaml);
    assert_eq!(
        found,
        vec![
            (
                2,
                "info `#/info` is missing required key \"version\"".to_string()
            ),
            (
                7,
                "operation GET /pets has unknown key \"respones\"".to_string()
            ),
            (
                8,
                "`#/paths/~1pets/get/deprecated` is a string, expected a boolean".to_string()
            ),
            (
                6,
                "operation GET /pets is missing required key \"responses\"".to_string()
            ),
        ]
    );
}

#[test]
fn version_differences() {
    let yaml = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  A:\n    oneOf: []\n    nullable: true\n";
    let found = problems(yaml);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0]
        .1
        .contains("\"oneOf\", which Swagger 2.0 does not define"));
    let yaml = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A:\n      type: [string, 'null']\n      exclusiveMinimum: 0\n      $anchor: a\n";
    assert_eq!(problems(yaml), vec![]);
}

#[test]
fn duplicate_keys_are_paired() {
    let yaml = "a: 1\nb: 2\na: 3\n";
    let tree = parse(yaml, Format::Yaml).unwrap();
    assert_eq!(duplicate_keys(&tree).len(), 1);
    let json = "{\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}";
    let tree = parse(json, Format::Json).unwrap();
    assert_eq!(duplicate_keys(&tree).len(), 1);
}

/// The document as JSON, for the official JSON schemas.
fn to_json(tree: &Tree<'_>, id: NodeId) -> serde_json::Value {
    match tree.value(id) {
        Value::Null | Value::Alias(_) => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::from_str(n).unwrap_or(serde_json::Value::Null),
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Sequence(_) => tree.items(id).iter().map(|&i| to_json(tree, i)).collect(),
        Value::Mapping(_) => tree
            .members(id)
            .map(|e| {
                (
                    tree.text(e.key).unwrap_or_default().to_string(),
                    to_json(tree, e.value),
                )
            })
            .collect(),
    }
}

/// An official schema, vendored in `tests/schemas/` (see its README for the sources).
fn official_schema(name: &str) -> serde_json::Value {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/schemas");
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let format = if name.ends_with(".json") {
        Format::Json
    } else {
        Format::Yaml
    };
    let tree = parse(&text, format).unwrap();
    to_json(&tree, tree.root().unwrap())
}

/// The official 2.0 and 3.0 schemas agree with the verdicts of the fixtures
/// (3.1's schema needs its remote dialect, which is not available offline).
#[test]
fn fixture_verdicts_agree_with_the_official_schemas() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/openapi/OAS073-invalid-structure");
    let schemas = [
        (SpecVersion::Swagger2, "openapi-2.0.schema.json"),
        (SpecVersion::OpenApi30, "openapi-3.0.schema.yaml"),
    ];
    let mut checked = 0;
    for (version, name) in schemas {
        let schema = official_schema(name);
        let validator = jsonschema::validator_for(&schema).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            if !file.ends_with(".yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let tree = parse(&text, Format::Yaml).unwrap();
            if SpecVersion::detect(&tree) != version {
                continue;
            }
            let ours = check_document(&tree, version).is_empty();
            let official = validator.is_valid(&to_json(&tree, tree.root().unwrap()));
            assert_eq!(ours, official, "{file}");
            assert_eq!(ours, file.starts_with("pass"), "{file}");
            checked += 1;
        }
    }
    assert_eq!(checked, 4);
}
