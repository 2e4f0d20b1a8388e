//! Checklist item `sec.sqli`: no SQL built from strings at run time in
//! PL/pgSQL functions and `DO` blocks.

pub mod execute_concatenated_sql;
