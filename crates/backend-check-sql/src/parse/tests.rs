use super::*;
use backend_check_core::CommentStyle;

fn file(text: &str) -> SourceFile {
    SourceFile::new("t.sql", "t.sql", text, CommentStyle::DoubleDash)
}

fn statements(text: &str, dialect: SqlDialect) -> (SourceFile, Vec<Statement>) {
    let f = file(text);
    let statements = parse_section(&f, Span::new(0, text.len()), dialect);
    (f, statements)
}

fn texts(f: &SourceFile, statements: &[Statement]) -> Vec<String> {
    statements
        .iter()
        .map(|s| f.slice(s.span).to_owned())
        .collect()
}

#[test]
fn spans_skip_comments_and_semicolons() {
    let text =
        "-- create the table\nCREATE TABLE t (id int);\n\n/* index */ CREATE INDEX i ON t (id) ;\n";
    let (f, s) = statements(text, SqlDialect::Postgres);
    assert_eq!(
        texts(&f, &s),
        ["CREATE TABLE t (id int)", "CREATE INDEX i ON t (id)"]
    );
    assert!(s.iter().all(Statement::is_parsed));
    assert_eq!(f.line_col(s[1].span.start).line, 4);
    assert_eq!(f.line_col(s[1].span.start).column, 13);
}

#[test]
fn crlf_and_multibyte_characters_keep_exact_spans() {
    let text = "COMMENT ON TABLE t IS 'größe — ü';\r\nCREATE INDEX i ON t (x);\r\n";
    let (f, s) = statements(text, SqlDialect::Postgres);
    assert_eq!(
        texts(&f, &s),
        [
            "COMMENT ON TABLE t IS 'größe — ü'",
            "CREATE INDEX i ON t (x)"
        ]
    );
    let on = s[1].tokens.iter().find(|t| t.is_word("ON")).unwrap();
    assert_eq!(f.slice(on.span), "ON");
    assert_eq!(f.line_col(on.span.start).line, 2);
    assert_eq!(f.line_col(on.span.start).column, 16);
    let literal = &s[0].tokens.last().unwrap();
    assert_eq!(f.slice(literal.span), "'größe — ü'");
}

#[test]
fn dollar_quoted_bodies_hold_semicolons() {
    let text = "CREATE FUNCTION f() RETURNS trigger AS $body$\nBEGIN\n  UPDATE t SET x = 1;\n  RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql;\nDO $$ BEGIN PERFORM 1; END $$;\nSELECT 1;";
    let (f, s) = statements(text, SqlDialect::Postgres);
    assert_eq!(s.len(), 3, "{:?}", texts(&f, &s));
    assert!(f.slice(s[0].span).ends_with("LANGUAGE plpgsql"));
    assert!(f.slice(s[1].span).starts_with("DO $$"));
    assert_eq!(f.slice(s[2].span), "SELECT 1");
}

#[test]
fn sqlite_trigger_bodies_are_one_statement() {
    let text = "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n  DELETE FROM c WHERE x = (CASE WHEN 1 THEN 2 END);\nEND;\nSELECT 1;";
    let (f, s) = statements(text, SqlDialect::Sqlite);
    assert_eq!(s.len(), 2, "{:?}", texts(&f, &s));
    assert!(f.slice(s[0].span).ends_with("END"));
}

#[test]
fn mysql_procedure_with_end_if_is_one_statement() {
    let text = "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; SELECT 2; END;\nSELECT 3;";
    let (f, s) = statements(text, SqlDialect::MySql);
    assert_eq!(texts(&f, &s).len(), 2, "{:?}", texts(&f, &s));
}

#[test]
fn unparsable_statement_is_kept_with_tokens_and_the_file_goes_on() {
    let text = "CREATE TABLE t (id int);\nFROBNICATE the table;\nCREATE INDEX i ON t (id);";
    let (f, s) = statements(text, SqlDialect::Postgres);
    assert_eq!(s.len(), 3);
    assert!(!s[1].is_parsed());
    assert_eq!(f.slice(s[1].span), "FROBNICATE the table");
    assert_eq!(s[1].tokens.len(), 3);
    let reason = &s[1].parsed.as_ref().unwrap_err().reason;
    assert!(!reason.contains("Line:"), "{reason}");
    assert!(s[2].is_parsed());
}

#[test]
fn tokenizer_error_makes_the_rest_one_unparsed_statement() {
    let text = "SELECT 1;\nSELECT 'unterminated\n  more;\n";
    let (f, s) = statements(text, SqlDialect::Postgres);
    assert_eq!(s.len(), 2);
    assert!(s[0].is_parsed());
    assert!(!s[1].is_parsed());
    assert_eq!(f.slice(s[1].span), "SELECT 'unterminated\n  more;");
}

#[test]
fn sections_keep_file_positions() {
    let text = "-- migrate:up\nCREATE INDEX i ON t (x);\n-- migrate:down\nDROP INDEX i;\n";
    let f = file(text);
    let start = text.find("CREATE").unwrap();
    let end = text.find("-- migrate:down").unwrap();
    let s = parse_section(&f, Span::new(start, end), SqlDialect::Postgres);
    assert_eq!(s.len(), 1);
    assert_eq!(f.slice(s[0].span), "CREATE INDEX i ON t (x)");
    let t = s[0].tokens.iter().find(|t| t.is_word("t")).unwrap();
    assert_eq!(f.line_col(t.span.start).line, 2);
    assert_eq!(f.line_col(t.span.start).column, 19);
}

#[test]
fn dialects_differ() {
    let (_, s) = statements(
        "CREATE TABLE `t` (id int) ENGINE=InnoDB;",
        SqlDialect::MySql,
    );
    assert!(s[0].is_parsed());
    let (_, s) = statements("# a mysql comment\nSELECT 1;", SqlDialect::MySql);
    assert_eq!(s.len(), 1);
}

#[test]
fn empty_and_comment_only_scripts_have_no_statements() {
    assert!(statements("", SqlDialect::Postgres).1.is_empty());
    assert!(statements("-- nothing\n;;\n/* x */", SqlDialect::Postgres)
        .1
        .is_empty());
}

#[test]
fn do_blocks_are_recognised() {
    let (_, s) = statements("DO $$ BEGIN PERFORM 1; END $$;\nDO LANGUAGE plpgsql $x$ BEGIN END $x$;\nDO $$ BEGIN END $$ LANGUAGE plpgsql;\nSELECT 1;", SqlDialect::Postgres);
    let flags: Vec<bool> = s.iter().map(Statement::is_do_block).collect();
    assert_eq!(
        flags,
        [true, true, true, false],
        "{:?}",
        s.iter().map(|s| &s.tokens).collect::<Vec<_>>()
    );
}
