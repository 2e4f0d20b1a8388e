//! The whole rule set on one realistic migration set written for PostgreSQL,
//! MySQL and SQLite.

use backend_check_core::SqlDialect;

use crate::test_support::Repo;

/// `(file, text)` of one migration set.
type Files = &'static [(&'static str, &'static str)];

const POSTGRES: Files = &[
    (
        "1_users.up.sql",
        "CREATE TABLE users (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    email text NOT NULL UNIQUE,\n    created_at timestamptz NOT NULL DEFAULT now()\n);\n",
    ),
    ("1_users.down.sql", "DROP TABLE users;\n"),
    (
        "2_orders.up.sql",
        "CREATE TABLE orders (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    user_id bigint NOT NULL,\n    total numeric(10, 2) NOT NULL,\n    note text\n);\nCREATE INDEX orders_user_id_idx ON orders (user_id);\n",
    ),
    ("2_orders.down.sql", "DROP TABLE orders;\n"),
    (
        "3_order_status.up.sql",
        "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';\nCREATE INDEX orders_status_idx ON orders (status);\nALTER TABLE orders DROP COLUMN note;\nALTER TABLE orders ALTER COLUMN total TYPE integer;\n",
    ),
    (
        "3_order_status.down.sql",
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric(10, 2);\nALTER TABLE orders ADD COLUMN note text;\nDROP INDEX orders_status_idx;\nALTER TABLE orders DROP COLUMN status;\n",
    ),
    (
        "4_order_shipping.up.sql",
        "ALTER TABLE orders ADD COLUMN shipped_at timestamptz DEFAULT now();\nALTER TABLE orders ADD COLUMN coupon_code text UNIQUE;\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n",
    ),
    (
        "4_order_shipping.down.sql",
        "ALTER TABLE orders DROP CONSTRAINT orders_user_fk;\nALTER TABLE orders DROP COLUMN coupon_code;\nALTER TABLE orders DROP COLUMN shipped_at;\n",
    ),
    (
        "5_payments.up.sql",
        "CREATE TABLE payments (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    order_id bigint NOT NULL,\n    amount numeric(10, 2) NOT NULL\n);\n",
    ),
];

const MYSQL: Files = &[
    (
        "1_users.up.sql",
        "CREATE TABLE users (\n    id BIGINT AUTO_INCREMENT PRIMARY KEY,\n    email VARCHAR(255) NOT NULL UNIQUE,\n    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP\n);\n",
    ),
    ("1_users.down.sql", "DROP TABLE users;\n"),
    (
        "2_orders.up.sql",
        "CREATE TABLE orders (\n    id BIGINT AUTO_INCREMENT PRIMARY KEY,\n    user_id BIGINT NOT NULL,\n    total DECIMAL(10, 2) NOT NULL,\n    note TEXT\n);\nCREATE INDEX orders_user_id_idx ON orders (user_id);\n",
    ),
    ("2_orders.down.sql", "DROP TABLE orders;\n"),
    (
        "3_order_status.up.sql",
        "ALTER TABLE orders ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'new';\nCREATE INDEX orders_status_idx ON orders (status);\nALTER TABLE orders DROP COLUMN note;\nALTER TABLE orders MODIFY COLUMN total INT NOT NULL;\n",
    ),
    (
        "3_order_status.down.sql",
        "ALTER TABLE orders MODIFY COLUMN total DECIMAL(10, 2) NOT NULL;\nALTER TABLE orders ADD COLUMN note TEXT;\nDROP INDEX orders_status_idx ON orders;\nALTER TABLE orders DROP COLUMN status;\n",
    ),
    (
        "4_order_shipping.up.sql",
        "ALTER TABLE orders ADD COLUMN shipped_at DATETIME DEFAULT CURRENT_TIMESTAMP;\nALTER TABLE orders ADD COLUMN coupon_code VARCHAR(40) UNIQUE;\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n",
    ),
    (
        "4_order_shipping.down.sql",
        "ALTER TABLE orders DROP FOREIGN KEY orders_user_fk;\nALTER TABLE orders DROP COLUMN coupon_code;\nALTER TABLE orders DROP COLUMN shipped_at;\n",
    ),
    (
        "5_payments.up.sql",
        "CREATE TABLE payments (\n    id BIGINT AUTO_INCREMENT PRIMARY KEY,\n    order_id BIGINT NOT NULL,\n    amount DECIMAL(10, 2) NOT NULL\n);\n",
    ),
];

const SQLITE: Files = &[
    (
        "1_users.up.sql",
        "CREATE TABLE users (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    email TEXT NOT NULL UNIQUE,\n    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP\n);\n",
    ),
    ("1_users.down.sql", "DROP TABLE users;\n"),
    (
        "2_orders.up.sql",
        "CREATE TABLE orders (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    user_id INTEGER NOT NULL,\n    total NUMERIC NOT NULL,\n    note TEXT\n);\nCREATE INDEX orders_user_id_idx ON orders (user_id);\n",
    ),
    ("2_orders.down.sql", "DROP TABLE orders;\n"),
    (
        "3_order_status.up.sql",
        "ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'new';\nCREATE INDEX orders_status_idx ON orders (status);\nALTER TABLE orders DROP COLUMN note;\nALTER TABLE orders ALTER COLUMN total TYPE INTEGER;\n",
    ),
    (
        "3_order_status.down.sql",
        "ALTER TABLE orders ADD COLUMN note TEXT;\nDROP INDEX orders_status_idx;\nALTER TABLE orders DROP COLUMN status;\n",
    ),
    (
        "4_order_shipping.up.sql",
        "ALTER TABLE orders ADD COLUMN shipped_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP;\nALTER TABLE orders ADD COLUMN coupon_code TEXT UNIQUE;\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n",
    ),
    (
        "4_order_shipping.down.sql",
        "ALTER TABLE orders DROP COLUMN coupon_code;\nALTER TABLE orders DROP COLUMN shipped_at;\n",
    ),
    (
        "5_payments.up.sql",
        "CREATE TABLE payments (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    order_id INTEGER NOT NULL,\n    amount NUMERIC NOT NULL\n);\n",
    ),
];

/// The advice rules that are off by default but judged here too.
const ADVICE: &[&str] = &[
    "SQL013", "SQL019", "SQL045", "SQL046", "SQL048", "SQL049", "SQL051", "SQL052",
];

/// `(code, file name, line)` of every default finding on a set, and of the
/// [`ADVICE`] rules.
fn default_findings(files: Files, dialect: SqlDialect) -> Vec<(String, String, usize)> {
    let repo = Repo::new();
    for (name, text) in files {
        repo.write(&format!("migrations/{name}"), text);
    }
    repo.findings_with(ADVICE, Some(dialect))
        .into_iter()
        .map(|(code, file, line, _)| {
            (
                code,
                file.trim_start_matches("migrations/").to_owned(),
                line,
            )
        })
        .collect()
}

fn expected(rows: &[(&str, &str, usize)]) -> Vec<(String, String, usize)> {
    let mut rows: Vec<_> = rows
        .iter()
        .map(|(code, file, line)| ((*code).to_owned(), (*file).to_owned(), *line))
        .collect();
    rows.sort();
    rows
}

/// One set, three dialects. What differs, and why:
/// - PostgreSQL alone reports the index built without `CONCURRENTLY` on an
///   existing table (SQL001), the unique column added without an index built
///   first (SQL009) and the missing `lock_timeout` (SQL019): MySQL's InnoDB
///   builds these indexes online, and SQLite has no concurrent sessions to
///   block.
/// - The foreign key added to the existing `orders` table is validated under
///   lock on PostgreSQL (SQL005: add it `NOT VALID`), copies the table on
///   MySQL while `foreign_key_checks` is on (SQL070), and is refused by
///   SQLite (SQL069).
/// - PostgreSQL and MySQL report the type change that rewrites the table
///   (SQL012: a rewrite under lock; MySQL's `MODIFY` copies the table) and
///   the decimals it discards (SQL065); SQLite refuses the statement outright
///   (SQL069), as it refuses a non-constant default and a `UNIQUE` column
///   added by `ALTER TABLE`.
/// - The dropped column (SQL013, SQL065), the migration without a down
///   (SQL043) and the `order_id` column without a foreign key (SQL066, not
///   checked on SQLite, whose table rebuilds the replay cannot follow for
///   foreign keys) are reported the same way where they apply.
#[test]
fn the_same_set_on_three_dialects() {
    let status = "3_order_status.up.sql";
    let shipping = "4_order_shipping.up.sql";
    let payments = "5_payments.up.sql";
    let shared = [
        ("SQL013", status, 3),
        ("SQL043", payments, 1),
        ("SQL065", status, 3),
    ];
    let with = |extra: &[(&'static str, &'static str, usize)]| {
        expected(&shared.iter().chain(extra).copied().collect::<Vec<_>>())
    };
    assert_eq!(
        default_findings(POSTGRES, SqlDialect::Postgres),
        with(&[
            ("SQL001", status, 2),
            ("SQL005", shipping, 3),
            ("SQL009", shipping, 2),
            ("SQL012", status, 4),
            ("SQL019", status, 1),
            ("SQL019", shipping, 1),
            ("SQL065", status, 4),
            ("SQL066", payments, 3),
        ])
    );
    assert_eq!(
        default_findings(MYSQL, SqlDialect::MySql),
        with(&[
            ("SQL012", status, 4),
            ("SQL065", status, 4),
            ("SQL066", payments, 3),
            ("SQL070", shipping, 3),
        ])
    );
    assert_eq!(
        default_findings(SQLITE, SqlDialect::Sqlite),
        with(&[
            ("SQL069", status, 4),
            ("SQL069", shipping, 1),
            ("SQL069", shipping, 2),
            ("SQL069", shipping, 3),
        ])
    );
}
