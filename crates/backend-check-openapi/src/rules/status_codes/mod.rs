//! `api.status-codes`: proper status codes.

pub mod no_success_response;
