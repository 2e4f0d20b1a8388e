//! Checklist item `sec.audit`: tables that record who changed what, and when.

pub mod missing_audit_columns;
