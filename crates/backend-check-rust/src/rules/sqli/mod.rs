//! `sec.sqli`: no SQL built from strings at run time.

pub mod sql_injection;
