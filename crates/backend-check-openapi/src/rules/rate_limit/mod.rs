pub mod missing_429_response;
pub mod missing_rate_limit_headers;
pub mod missing_retry_after;
