use crate::rules::test_harness::{run_yaml, summary};

const CODES: [&str; 4] = ["OAS060", "OAS061", "OAS062", "OAS063"];

const SPEC: &str = "\
openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    get:
      parameters:
        - {name: q, in: query, schema: {type: string}}
        - {name: id, in: query, schema: {type: string, format: uuid}}
        - {name: limit, in: query, schema: {type: integer, format: int32, minimum: 1, maximum: 100}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
      responses:
        '201': {description: created}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
    NewPet:
      type: object
      additionalProperties: false
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        code: {type: string, pattern: '^[A-Z]{3}$'}
        tags:
          type: array
          items: {type: string, maxLength: 10}
        age: {type: integer, minimum: 0}
        owner:
          type: object
          properties:
            email: {type: string, format: email}
            note: {type: string, nullable: true}
";

#[test]
fn request_schemas_are_grouped_and_responses_exempt() {
    let found = run_yaml(SPEC, &CODES);
    assert_eq!(
        summary(&found),
        [
            (
                "OAS060",
                7,
                18,
                "query parameter \"q\" of operation GET /pets is a string without maxLength".to_owned()
            ),
            (
                "OAS060",
                29,
                5,
                "schema \"NewPet\" accepts strings without maxLength: name, owner.note".to_owned()
            ),
            (
                "OAS061",
                29,
                5,
                "schema \"NewPet\" accepts arrays without maxItems: tags".to_owned()
            ),
            (
                "OAS062",
                29,
                5,
                "schema \"NewPet\" accepts numbers without bounds: age (integer without maximum and format)".to_owned()
            ),
            (
                "OAS063",
                29,
                5,
                "schema \"NewPet\" accepts objects open to additional properties: owner".to_owned()
            ),
        ]
    );
    let strings = &found[1];
    let labels: Vec<_> = strings
        .labels
        .iter()
        .map(|l| (strings.file.slice(l.span).to_owned(), l.message.clone()))
        .collect();
    assert_eq!(
        labels,
        [
            ("name".to_owned(), "no maxLength".to_owned()),
            ("note".to_owned(), "no maxLength".to_owned()),
            (
                "requestBody".to_owned(),
                "used as input in the request body of operation POST /pets".to_owned()
            ),
        ]
    );
}

#[test]
fn swagger_parameters_and_composition() {
    let text = "\
swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /pets/{id}:
    put:
      parameters:
        - {name: id, in: path, required: true, type: integer, format: int64, minimum: 1}
        - {name: body, in: body, schema: {$ref: '#/definitions/Dog'}}
      responses:
        '200': {description: ok}
definitions:
  Pet:
    type: object
    properties:
      kind: {type: string, enum: [dog, cat]}
  Dog:
    allOf:
      - $ref: '#/definitions/Pet'
      - type: object
        properties:
          bark: {type: boolean}
";
    let found = run_yaml(text, &CODES);
    assert_eq!(
        summary(&found),
        [(
            "OAS062",
            7,
            18,
            "path parameter \"id\" of operation PUT /pets/{id} is an integer without maximum"
                .to_owned()
        )]
    );
}
