use super::*;
use crate::parse::parse_section;
use backend_check_core::{CommentStyle, SourceFile, Span, SqlDialect};

fn created(text: &str) -> Vec<(String, usize)> {
    let f = SourceFile::new("t.sql", "t.sql", text, CommentStyle::DoubleDash);
    let statements = parse_section(&f, Span::new(0, text.len()), SqlDialect::Postgres);
    created_tables(&statements)
        .into_iter()
        .map(|c| (c.name.to_string(), c.statement))
        .collect()
}

#[test]
fn names_are_normalised() {
    assert_eq!(
        created("CREATE TABLE Orders (id int); CREATE TABLE \"Mixed\" (id int); CREATE TABLE IF NOT EXISTS public.Users (id int);"),
        [("orders".into(), 0), ("Mixed".into(), 1), ("public.users".into(), 2)]
    );
}

#[test]
fn qualified_and_unqualified_names_match() {
    let qualified = TableName::new(Some("public"), "users");
    let plain = TableName::new(None, "users");
    let other = TableName::new(Some("audit"), "users");
    assert!(qualified.matches(&plain));
    assert!(plain.matches(&qualified));
    assert!(!qualified.matches(&other));
    assert!(!plain.matches(&TableName::new(None, "Users")));
}

#[test]
fn materialized_views_renames_and_unparsed_creates_count() {
    assert_eq!(
        created("CREATE TABLE new_t (id int); ALTER TABLE new_t RENAME TO t; CREATE MATERIALIZED VIEW mv AS SELECT 1; CREATE UNLOGGED TABLE weird (id int) FROBNICATE;"),
        [("new_t".into(), 0), ("t".into(), 1), ("mv".into(), 2), ("weird".into(), 3)]
    );
}

#[test]
fn renaming_an_existing_table_creates_nothing() {
    assert!(created("ALTER TABLE old RENAME TO new;").is_empty());
}

mod replay {
    use crate::schema::{Catalog, TableName};
    use backend_check_core::{CommentStyle, SourceFile, Span, SqlDialect};

    fn catalog(sql: &str) -> Catalog {
        let f = SourceFile::new("t.sql", "t.sql", sql, CommentStyle::DoubleDash);
        let statements =
            crate::parse::parse_section(&f, Span::new(0, sql.len()), SqlDialect::Postgres);
        let mut c = Catalog::default();
        c.apply_all(&statements);
        c
    }

    #[test]
    fn tables_columns_keys_and_indexes() {
        let c = catalog(
            "CREATE TABLE public.users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
             CREATE TABLE orders (id bigint, user_id bigint REFERENCES users (id) ON DELETE CASCADE, note varchar(20) DEFAULT 'x', PRIMARY KEY (id));
             ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new', DROP COLUMN note;
             ALTER TABLE orders RENAME COLUMN status TO state;
             ALTER TABLE orders ALTER COLUMN state DROP NOT NULL;
             CREATE INDEX orders_user_idx ON orders (user_id);
             CREATE TYPE mood AS ENUM ('ok', 'sad');
             ALTER TABLE users ENABLE ROW LEVEL SECURITY;
             CREATE TABLE tmp (x int); DROP TABLE tmp;",
        );
        let users = c.table(&TableName::new(None, "users")).unwrap();
        assert_eq!(users.primary_key, ["id"]);
        assert!(!users.column("email").unwrap().nullable);
        assert!(users.row_level_security);
        let orders = c.table(&TableName::new(Some("public"), "orders")).unwrap();
        let names: Vec<&str> = orders.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "user_id", "state"]);
        assert!(orders.column("state").unwrap().nullable);
        assert_eq!(
            orders.foreign_keys[0].references,
            TableName::new(None, "users")
        );
        assert!(orders.foreign_keys[0].on_delete);
        assert_eq!(c.indexes["orders_user_idx"].columns, ["user_id"]);
        assert_eq!(c.types["mood"], ["ok", "sad"]);
        assert!(c.table(&TableName::new(None, "tmp")).is_none());
    }

    #[test]
    fn unparsed_drop_index_and_create_table_are_replayed() {
        let c = catalog(
            "CREATE INDEX i ON t (x); DROP INDEX CONCURRENTLY IF EXISTS i;
             CREATE TABLE n (id int CONSTRAINT n_nn NOT NULL NO INHERIT);",
        );
        assert!(c.indexes.is_empty());
        assert!(c.table(&TableName::new(None, "n")).is_some());
    }
}
