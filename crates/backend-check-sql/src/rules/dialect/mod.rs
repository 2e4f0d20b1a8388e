//! Dialect-specific limits of `db.migration-safety`: statements one database
//! refuses or runs differently.

pub mod mysql_alter_table_copies_table;
pub mod sqlite_unsupported_alter_table;
