//! Advice shared by the lock rules.

use crate::model::Layout;

/// How to make a migration of this layout run outside a transaction.
pub(crate) fn leave_transaction(layout: Layout) -> &'static str {
    match layout {
        Layout::Sqlx => "start the migration file with `-- no-transaction`",
        Layout::Diesel => "add `run_in_transaction = false` to the migration's metadata.toml",
        Layout::Dbmate => "write the marker as `-- migrate:up transaction:false`",
        Layout::Goose => "add `-- +goose NO TRANSACTION` to the file",
        Layout::Pop => "name the file `….autocommit.up.sql`",
        Layout::Flyway => "keep it alone in its migration so Flyway runs it outside a transaction",
        Layout::Refinery => {
            "refinery runs every migration in a transaction, so run this statement outside refinery"
        }
        Layout::GolangMigrate | Layout::Loose => {
            "remove the `BEGIN`/`COMMIT` around it and keep it alone in its migration file"
        }
    }
}
