pub mod create_without_201;
pub mod invalid_status_code;
pub mod missing_400_response;
pub mod missing_401_response;
pub mod missing_404_response;
pub mod missing_4xx_response;
pub mod no_content_with_body;
pub mod no_success_response;
