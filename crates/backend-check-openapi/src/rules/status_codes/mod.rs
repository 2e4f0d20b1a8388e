pub mod create_without_201;
pub mod invalid_status_code;
pub mod no_content_with_body;
pub mod no_success_response;
