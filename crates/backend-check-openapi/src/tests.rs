//! End-to-end checks of one document: exact lines and columns of findings.

use std::sync::Arc;

use backend_check_core::{
    apply_allows, AllowScope, CommentStyle, Diagnostic, RuleSelection, Sink, SourceFile,
};

use crate::analyze::check_file;
use crate::load::Format;
use crate::RULES;
use backend_check_core::testing::TestRun;

mod example_positions;
mod spec_versions;

/// The rules these tests are about: parsing, `$ref`s and OAS001 (positions).
const LOADING_CODES: [&str; 4] = ["OAS000", "OAS001", "OAS002", "OAS003"];

pub(crate) struct Run {
    pub file: Arc<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub allows: Vec<backend_check_core::Allow>,
}

/// `(code, line, column, snippet)` of a finding.
pub(crate) type Position = (&'static str, usize, usize, String);

/// Every finding on one document of every rule but the nursery ones (`ALL`:
/// the default and pedantic groups), with its allows.
pub(crate) fn lint(text: &str, format: Format) -> Run {
    let style = match format {
        Format::Yaml => CommentStyle::Hash,
        Format::Json => CommentStyle::None,
    };
    let file = Arc::new(SourceFile::new("spec", "spec", text, style));
    let selection = RuleSelection::resolve(
        RULES,
        // Every rule: `ALL` leaves the nursery out, so name it too.
        Some(&[
            backend_check_core::Selector::cli("ALL"),
            backend_check_core::Selector::cli("nursery"),
        ]),
        &[],
    )
    .unwrap();
    let mut sink = Sink::new(&selection);
    let allows = check_file(&file, format, std::path::Path::new("."), &mut sink).allows;
    Run {
        file,
        diagnostics: sink.into_diagnostics(),
        allows,
    }
}

/// The positions of the findings `keep` accepts (by code), sorted.
pub(crate) fn positions(diagnostics: &[Diagnostic], keep: impl Fn(&str) -> bool) -> Vec<Position> {
    let mut out: Vec<_> = diagnostics
        .iter()
        .filter(|d| keep(d.rule.code))
        .map(|d| {
            let at = d.start();
            (d.rule.code, at.line, at.column, d.snippet().to_owned())
        })
        .collect();
    out.sort();
    out
}

fn run(text: &str, format: Format) -> Run {
    let mut run = lint(text, format);
    run.diagnostics
        .retain(|d| LOADING_CODES.contains(&d.rule.code));
    run
}

/// `(code, line, column, snippet)` of each finding, sorted.
fn findings(text: &str, format: Format) -> Vec<Position> {
    positions(&run(text, format).diagnostics, |_| true)
}

fn yaml(text: &str) -> Vec<Position> {
    findings(text, Format::Yaml)
}

fn json(text: &str) -> Vec<Position> {
    findings(text, Format::Json)
}

pub(crate) fn at(code: &'static str, line: usize, column: usize, snippet: &str) -> Position {
    (code, line, column, snippet.to_owned())
}

const YAML_30: &str = "\
openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    get:
      responses:
        '404':
          description: not found
        default:
          description: error
    post:
      responses:
        '201':
          description: created
  /pets/{id}:
    delete:
      summary: no responses at all
    put:
      responses:
        2XX:
          description: ok
    patch:
      responses:
        302:
          description: moved
";

#[test]
fn yaml_30_findings_have_exact_positions() {
    assert_eq!(
        yaml(YAML_30),
        [
            at("OAS001", 6, 7, "responses"),
            at("OAS001", 16, 5, "delete"),
        ]
    );
}

#[test]
fn messages_name_the_operation() {
    let r = run(YAML_30, Format::Yaml);
    let mut messages: Vec<_> = r.diagnostics.iter().map(|d| d.message.clone()).collect();
    messages.sort();
    assert_eq!(
        messages,
        [
            "operation DELETE /pets/{id} has no responses, so no success (2xx or 3xx) response",
            "operation GET /pets has no success (2xx or 3xx) response",
        ]
    );
    let get = r
        .diagnostics
        .iter()
        .find(|d| d.message.contains("GET"))
        .unwrap();
    assert!(get.help.is_some());
    assert_eq!(get.labels.len(), 1);
    assert_eq!(r.file.slice(get.labels[0].span), "default");
}

#[test]
fn json_30_findings_have_exact_positions() {
    let text = r#"{
  "openapi": "3.0.0",
  "info": {"title": "Pets", "version": "1"},
  "paths": {
    "/pets": {
      "get": {"responses": {"default": {"description": "e"}}},
      "post": {
        "responses": {"201": {"description": "created"}}
      },
      "delete": {"summary": "nothing"}
    }
  }
}"#;
    assert_eq!(
        json(text),
        [
            at("OAS001", 6, 15, "\"responses\""),
            at("OAS001", 10, 7, "\"delete\""),
        ]
    );
}

#[test]
fn yaml_31_webhooks_are_checked() {
    let text = "\
openapi: 3.1.0
info: {title: Hooks, version: '1'}
webhooks:
  newPet:
    post:
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        '400': {description: rejected}
  oldPet:
    post:
      responses:
        '200': {description: ok}
";
    assert_eq!(yaml(text), [at("OAS001", 7, 7, "responses")]);
    let r = run(text, Format::Yaml);
    assert_eq!(
        r.diagnostics[0].message,
        "webhook POST newPet has no success (2xx or 3xx) response"
    );
}

#[test]
fn webhooks_are_not_operations_in_30() {
    let text = "openapi: 3.0.3\npaths: {}\nwebhooks:\n  a:\n    post:\n      responses: {}\n";
    assert!(yaml(text).is_empty());
}

#[test]
fn swagger_20_findings_have_exact_positions() {
    let text = "\
swagger: \"2.0\"
info:
  title: Uber
  version: 1.0.0
paths:
  /products:
    get:
      responses:
        \"200\":
          description: ok
  /estimates/price:
    get:
      parameters: []
      responses:
        default:
          description: Unexpected error
";
    assert_eq!(yaml(text), [at("OAS001", 14, 7, "responses")]);
}

#[test]
fn multibyte_text_before_the_finding_counts_characters() {
    let text = "\
openapi: 3.0.3
info: {title: \"Tiere — ünd Vögel 🐦\", version: '1'}
paths:
  /vögel:
    get: {summary: \"Vögel 🐦 zählen\", responses: {'500': {description: kaputt}}}
";
    assert_eq!(yaml(text), [at("OAS001", 5, 38, "responses")]);
    let json_text = "{\"openapi\": \"3.0.0\", \"paths\": {\"/ü\": {\"get\": {\"summary\": \"€€€\", \"responses\": {}}}}}";
    assert_eq!(json(json_text), [at("OAS001", 1, 65, "\"responses\"")]);
}

#[test]
fn crlf_line_endings() {
    let text = YAML_30.replace('\n', "\r\n");
    assert_eq!(
        yaml(&text),
        [
            at("OAS001", 6, 7, "responses"),
            at("OAS001", 16, 5, "delete"),
        ]
    );
    let broken = "openapi: 3.0.3\r\npaths:\r\n  /a: [\r\n";
    let r = run(broken, Format::Yaml);
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].rule.code, "OAS000");
    assert_eq!(r.diagnostics[0].start().line, 4);
}

#[test]
fn aliases_and_merge_keys() {
    let text = "\
openapi: 3.0.3
info: {title: t, version: '1'}
x-common:
  errors: &errors
    '400': {description: bad}
    default: {description: error}
  ok: &ok
    '200': {description: ok}
  op: &listOp
    tags: [pets]
    responses:
      <<: *errors
paths:
  /a:
    get:
      responses: *errors
  /b:
    get:
      responses:
        <<: [*errors, *ok]
  /c:
    get: *listOp
";
    assert_eq!(
        yaml(text),
        [
            at("OAS001", 11, 5, "responses"),
            at("OAS001", 16, 7, "responses"),
        ]
    );
}

#[test]
fn local_ref_path_items_are_checked_where_written() {
    let text = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets:
    $ref: '#/components/pathItems/Pets'
  /remote:
    $ref: 'other.yaml#/paths/~1x'
components:
  pathItems:
    Pets:
      get:
        responses:
          '401': {description: no}
";
    assert_eq!(
        yaml(text),
        [
            at("OAS001", 12, 9, "responses"),
            at("OAS002", 7, 11, "'other.yaml#/paths/~1x'")
        ]
    );
}

#[test]
fn x_backend_check_allow_suppresses_inside_its_mapping() {
    let text = "\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /fire-and-forget:
    post:
      x-backend-check-allow: [OAS001]
      responses:
        default: {description: whatever}
  /other:
    post:
      x-backend-check-allow: \"no-success-response, OAS999\"
      responses: {}
    get:
      responses: {}
";
    let mut r = run(text, Format::Yaml);
    assert_eq!(r.allows.len(), 2);
    let first = &r.allows[0];
    assert_eq!(r.file.slice(first.span), "x-backend-check-allow: [OAS001]");
    assert_eq!(first.entries.len(), 1);
    assert_eq!(first.entries[0].text, "OAS001");
    assert_eq!(r.file.slice(first.entries[0].span), "OAS001");
    let AllowScope::Range(scope) = first.scope else {
        panic!("expected a range scope");
    };
    assert!(r.file.slice(scope).starts_with("x-backend-check-allow"));
    assert!(r.file.slice(scope).ends_with("{description: whatever}"));
    let second: Vec<_> = r.allows[1]
        .entries
        .iter()
        .map(|e| r.file.slice(e.span))
        .collect();
    assert_eq!(second, ["no-success-response", "OAS999"]);

    let selection = RuleSelection::defaults(RULES);
    let unused = apply_allows(&mut r.diagnostics, &r.allows, RULES, &selection);
    let left: Vec<_> = r.diagnostics.iter().map(|d| d.start().line).collect();
    assert_eq!(left, [14]);
    assert_eq!(unused.len(), 1);
    assert!(unused[0].message.contains("OAS999"));
}

#[test]
fn x_backend_check_allow_in_json() {
    let text = r#"{"openapi": "3.0.0", "paths": {"/a": {"get": {
  "x-backend-check-allow": "OAS001", "responses": {}}}}}"#;
    let mut r = run(text, Format::Json);
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.allows.len(), 1);
    assert_eq!(r.file.slice(r.allows[0].entries[0].span), "OAS001");
    let selection = RuleSelection::defaults(RULES);
    let unused = apply_allows(&mut r.diagnostics, &r.allows, RULES, &selection);
    assert!(r.diagnostics.is_empty());
    assert!(unused.is_empty());
}

#[test]
fn syntax_errors_are_one_finding_at_the_exact_place() {
    let text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}\n  /b: {}\n";
    let found = yaml(text);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].0, found[0].1), ("OAS000", 6));

    let json_text = "{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {},\n}\n";
    assert_eq!(json(json_text), [at("OAS000", 4, 1, "}")]);
}

#[test]
fn a_root_that_is_no_mapping_is_a_parse_error() {
    assert_eq!(
        yaml("- openapi: 3.0.0\n"),
        [at("OAS000", 1, 1, "- openapi: 3.0.0")]
    );
    assert_eq!(json("[1]"), [at("OAS000", 1, 1, "[1]")]);
    assert_eq!(yaml("# nothing\n"), [at("OAS000", 1, 1, "")]);
    let r = run("\"x\"", Format::Json);
    assert_eq!(
        r.diagnostics[0].message,
        "document root is a string, expected a mapping"
    );
}

fn analyze_fixture(relative: &str) -> Vec<(String, usize, usize, &'static str, Vec<usize>)> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().unwrap();
    let paths = vec![repo.join(relative)];
    let output = TestRun::new(RULES, &repo, &paths).run(crate::analyze);
    let mut out: Vec<_> = output
        .diagnostics
        .iter()
        .filter(|d| LOADING_CODES.contains(&d.rule.code))
        .map(|d| {
            let at = d.start();
            let labels = d
                .labels
                .iter()
                .map(|l| d.file.line_col(l.span.start).line)
                .collect();
            (
                d.file.display_path().to_owned(),
                at.line,
                at.column,
                d.rule.code,
                labels,
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn findings_inside_referenced_files_point_into_them() {
    let found =
        analyze_fixture("fixtures/openapi/OAS002-unresolved-ref/fail-external/openapi.yaml");
    let dir = "fixtures/openapi/OAS002-unresolved-ref/fail-external";
    assert_eq!(
        found,
        [
            (format!("{dir}/openapi.yaml"), 25, 23, "OAS002", vec![]),
            (
                format!("{dir}/schemas/order.yaml"),
                8,
                15,
                "OAS002",
                vec![8]
            ),
        ]
    );
}

#[test]
fn referenced_files_are_read_once_and_reported_in_output_files() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().unwrap();
    let dir = repo.join("fixtures/openapi/OAS002-unresolved-ref/pass-external");
    let paths = vec![dir.join("openapi.yaml")];
    let output = TestRun::new(RULES, &repo, &paths).run(crate::analyze);
    let mut files: Vec<_> = output
        .files
        .iter()
        .map(|f| f.display_path().to_owned())
        .collect();
    files.sort();
    let prefix = "fixtures/openapi/OAS002-unresolved-ref/pass-external";
    assert_eq!(
        files,
        [
            format!("{prefix}/openapi.yaml"),
            format!("{prefix}/paths/orders.yaml"),
            format!("{prefix}/schemas/order.json"),
            format!("{prefix}/shared/errors.yaml"),
        ]
    );
    let loading: Vec<String> = output
        .diagnostics
        .iter()
        .filter(|d| LOADING_CODES.contains(&d.rule.code))
        .map(|d| d.concise())
        .collect();
    assert!(loading.is_empty(), "{loading:?}");
    assert!(
        output.files.len() == 4,
        "{:?}",
        output
            .diagnostics
            .iter()
            .map(|d| d.concise())
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_document_referenced_by_another_is_linted_only_through_it() {
    let dir = tempdir();
    std::fs::write(
        dir.join("main.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths:\n  /a:\n    $ref: 'part.yaml#/paths/~1a'\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("part.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths:\n  /a:\n    get:\n      responses: {}\n  /b:\n    get:\n      responses: {}\n",
    )
    .unwrap();
    let paths = vec![dir.join("main.yaml"), dir.join("part.yaml")];
    let output = TestRun::new(RULES, &dir, &paths).run(crate::analyze);
    let found: Vec<_> = output
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "OAS001")
        .map(|d| (d.file.display_path().to_owned(), d.start().line))
        .collect();
    assert_eq!(found, [("part.yaml".to_owned(), 6)]);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "oas-test-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

fn all_findings(text: &str, format: Format) -> Vec<Position> {
    positions(&lint(text, format).diagnostics, |code| code <= "OAS014")
}

#[test]
fn model_rules_have_exact_positions_in_30_json() {
    let text = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Ünïcode", "version": "1.0.0"},
  "servers": [{"url": "http://api.shop.io"}],
  "components": {"securitySchemes": {"b": {"type": "http", "scheme": "basic"}}},
  "security": [{"bb": []}],
  "paths": {
    "/pets/{id}/": {
      "get": {"responses": {"200": {"description": "ok"}}}
    }
  }
}"#;
    assert_eq!(
        all_findings(text, Format::Json),
        [
            at("OAS004", 4, 23, "\"http://api.shop.io\""),
            at("OAS006", 6, 17, "\"bb\""),
            at("OAS007", 5, 38, "\"b\""),
            at("OAS012", 9, 7, "\"get\""),
            at("OAS013", 8, 5, "\"/pets/{id}/\""),
        ]
    );
}

#[test]
fn model_rules_have_exact_positions_in_20_and_31_yaml() {
    let swagger = "\
swagger: '2.0'
info: {title: t, version: 1.0.0}
host: api.shop.io
schemes: [http]
securityDefinitions:
  k: {type: apiKey, in: query, name: key}
security: [{k: []}]
paths:
  /orders:
    post:
      parameters:
        - {name: password, in: query, type: string}
      responses:
        200: {description: ok}
";
    assert_eq!(
        all_findings(swagger, Format::Yaml),
        [
            at("OAS004", 4, 11, "http"),
            at("OAS007", 6, 3, "k"),
            at("OAS008", 12, 18, "password"),
            at("OAS009", 13, 7, "responses"),
        ]
    );
    let openapi = "\
openapi: 3.1.0
info: {title: t, version: 1.0.0}
servers: [{url: 'https://api.shop.io'}]
components:
  securitySchemes:
    jwt: {type: http, scheme: bearer, bearerFormat: JWT}
paths:
  /orders/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    delete:
      security: []
      responses:
        '204': {description: gone, content: {application/json: {}}}
        '2OO': {description: typo}
";
    assert_eq!(
        all_findings(openapi, Format::Yaml),
        [
            at("OAS005", 11, 7, "security"),
            at("OAS010", 13, 9, "'204'"),
            at("OAS011", 14, 9, "'2OO'"),
        ]
    );
}
