//! Exact positions of the findings of rules OAS015–OAS059 in 2.0, 3.0 and
//! 3.1 documents (their fixtures run in the workspace harness, `tests/`).

use crate::tests::{at, lint, Position};

fn mine(code: &str) -> bool {
    code.get(3..)
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (15..=59).contains(&n))
}

/// `(code, line, column, snippet)` of the findings of OAS015–OAS059 in a text.
fn positions(text: &str, format: crate::load::Format) -> Vec<Position> {
    crate::tests::positions(&lint(text, format).diagnostics, mine)
}

#[test]
fn exact_positions_in_20_yaml() {
    let text = "\
swagger: '2.0'
info: {title: Pets, version: '1', description: d, contact: {email: a@b.io}, license: {name: MIT, url: 'https://l.io'}}
host: api.pets.io
basePath: /v1/
tags: [{name: pets, description: p}, {name: pets, description: again}]
paths:
  /pets/getAll:
    get:
      operationId: list pets
      summary: s
      tags: [pets]
      responses:
        '200': {description: ok}
        '429': {description: slow down}
";
    assert_eq!(
        positions(text, crate::load::Format::Yaml),
        [
            at("OAS019", 7, 3, "/pets/getAll"),
            at("OAS022", 9, 20, "list pets"),
            at("OAS025", 5, 45, "pets"),
            at("OAS029", 2, 30, "'1'"),
            at("OAS037", 14, 9, "'429'"),
            at("OAS038", 1, 1, "swagger"),
            at("OAS040", 14, 9, "'429'"),
            at("OAS047", 4, 11, "/v1/"),
        ]
    );
}

#[test]
fn exact_positions_in_30_json() {
    let text = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Ünïcode", "version": "1.0.0", "description": "<script>x</script>",
    "contact": {"url": "https://c.io"}, "license": {"name": "MIT", "url": "https://l.io"}},
  "servers": [{"url": "https://api.shop.io/v1"}],
  "paths": {
    "/orders/{id}": {
      "get": {"operationId": "getOrder", "summary": "s",
        "requestBody": {"content": {"application/json": {}}},
        "responses": {"200": {"description": "ok"}, "429": {"description": "", "headers": {"Retry-After": {}}}}}
    },
    "/orders/{orderId}": {"delete": {"operationId": "deleteOrder", "summary": "s",
        "responses": {"204": {"description": "gone"}, "429": {"description": "slow", "headers": {"Retry-After": {}}}}}}
  }
}"#;
    assert_eq!(
        positions(text, crate::load::Format::Json),
        [
            at("OAS017", 2, 3, "\"openapi\""),
            at("OAS018", 10, 9, "\"responses\""),
            at("OAS020", 9, 9, "\"requestBody\""),
            at("OAS021", 12, 5, "\"/orders/{orderId}\""),
            at("OAS034", 10, 76, "\"\""),
            at("OAS035", 3, 52, "\"description\""),
            at("OAS038", 2, 3, "\"openapi\""),
            at("OAS040", 2, 3, "\"openapi\""),
            at("OAS045", 2, 3, "\"openapi\""),
        ]
    );
}

#[test]
fn exact_positions_in_31_yaml() {
    let text = "\
openapi: 3.1.0
info: {title: Shop, version: 2.0.0, description: d, contact: {email: a@b.io}, license: {name: MIT, identifier: MIT}}
servers: [{url: 'https://api.shop.io/v1'}]
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: 'https://a.io/t', scopes: {orders:write: w}}
security: [{oauth: [order:write]}]
paths:
  /orders:
    post:
      operationId: createOrder
      summary: s
      tags: [orders]
      security: [{oauth: []}]
      responses:
        '201': {description: created}
        '429': {description: slow, headers: {Retry-After: {schema: {type: integer}}}}
";
    assert_eq!(
        positions(text, crate::load::Format::Yaml),
        [
            at("OAS016", 18, 7, "responses"),
            at("OAS024", 1, 1, "openapi"),
            at("OAS038", 1, 1, "openapi"),
            at("OAS040", 20, 9, "'429'"),
            at("OAS042", 17, 19, "oauth"),
            at("OAS043", 10, 21, "order:write"),
        ]
    );
}
