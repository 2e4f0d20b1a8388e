pub mod error_without_body;
pub mod inconsistent_error_schema;
pub mod prefer_problem_json;
