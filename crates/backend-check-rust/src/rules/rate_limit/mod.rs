//! `api.rate-limit`: a rate limiter in front of the application.

pub mod missing_rate_limit;
