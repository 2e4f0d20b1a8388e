pub mod duplicate_tag;
pub mod inconsistent_name_case;
pub mod inconsistent_property_case;
pub mod missing_operation_id;
pub mod schema_name_not_pascal_case;
pub mod undeclared_tag;
pub mod unused_tag;
