pub mod blank_response_description;
pub mod incomplete_info;
pub mod invalid_example;
pub mod undocumented_operation;
pub mod undocumented_parameter;
pub mod undocumented_tag;
pub mod unsafe_markdown;
pub mod untagged_operation;
