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
