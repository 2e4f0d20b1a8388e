//! `ap.db-in-controller` and `ap.logic-in-routes`: handlers stay thin.

pub mod db_in_handler;
pub mod logic_in_handler;
