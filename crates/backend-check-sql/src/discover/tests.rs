use super::*;
use crate::model::{Direction, MigrationKind, Script};
use crate::test_support::Repo;
use backend_check_core::CommentStyle;

fn options() -> DiscoverOptions<'static> {
    DiscoverOptions {
        root: PathBuf::from("/repo"),
        ..DiscoverOptions::default()
    }
}

/// Builds sets from in-memory files (`path`, `text`) under `/repo`.
fn sets(files: &[(&str, &str)], options: &DiscoverOptions) -> Vec<MigrationSet> {
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(p, _)| Path::new("/repo").join(p))
        .collect();
    let loaded = classify(&paths, options)
        .into_iter()
        .map(|candidate| {
            let text = files
                .iter()
                .find(|(p, _)| Path::new("/repo").join(p) == candidate.path)
                .map(|(_, t)| *t)
                .unwrap();
            let file = SourceFile::new(&candidate.path, "x", text, CommentStyle::DoubleDash);
            LoadedCandidate {
                candidate,
                file: Arc::new(file),
            }
        })
        .collect();
    build_sets(loaded, options)
}

/// Builds sets from the files of a repository on disk (read as a run would),
/// with the repository as the root, so its `Cargo.toml` is seen.
fn repo_sets(repo: &Repo) -> Vec<MigrationSet> {
    let options = DiscoverOptions {
        root: repo.dir.path().to_path_buf(),
        ..DiscoverOptions::default()
    };
    let loaded = classify(&repo.sql_files(), &options)
        .into_iter()
        .map(|candidate| {
            let file = SourceFile::read(&candidate.path, "x", CommentStyle::DoubleDash)
                .unwrap()
                .file;
            LoadedCandidate {
                candidate,
                file: Arc::new(file),
            }
        })
        .collect();
    build_sets(loaded, &options)
}

fn names(set: &MigrationSet) -> Vec<String> {
    set.migrations
        .iter()
        .map(|m| format!("{}_{}", m.version, m.name))
        .collect()
}

fn file_name(script: Option<&Script>) -> String {
    script.map_or_else(String::new, |s| {
        s.file
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    })
}

#[test]
fn sqlx_up_only_set_is_ordered_numerically() {
    let sets = sets(
        &[
            ("migrations/10_add_index.sql", "SELECT 1;"),
            ("migrations/2_create_orders.sql", "SELECT 1;"),
            ("migrations/1_init.sql", "SELECT 1;"),
        ],
        &options(),
    );
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].layout, Layout::Sqlx);
    assert_eq!(sets[0].dialect, SqlDialect::Postgres);
    assert_eq!(sets[0].dir, Path::new("/repo/migrations"));
    assert_eq!(
        names(&sets[0]),
        ["1_init", "2_create_orders", "10_add_index"]
    );
    assert!(sets[0].migrations.iter().all(|m| m.down.is_none()));
}

#[test]
fn sqlx_reversible_pairs_up_and_down() {
    let sets = sets(
        &[
            ("migrations/20250326160051_create_scripts.up.sql", ""),
            ("migrations/20250326160051_create_scripts.down.sql", ""),
            ("migrations/20250402170430_unique_names.up.sql", ""),
        ],
        &options(),
    );
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].layout, Layout::Sqlx);
    let first = &sets[0].migrations[0];
    assert_eq!(
        file_name(first.up.as_ref()),
        "20250326160051_create_scripts.up.sql"
    );
    assert_eq!(
        file_name(first.down.as_ref()),
        "20250326160051_create_scripts.down.sql"
    );
    assert!(sets[0].migrations[1].down.is_none());
}

#[test]
fn short_reversible_versions_are_golang_migrate() {
    let sets = sets(
        &[
            ("make/migrations/postgresql/0001_initial_schema.up.sql", ""),
            ("make/migrations/postgresql/0010_1.9.0_schema.up.sql", ""),
            ("make/migrations/postgresql/0002_1.7.0_schema.up.sql", ""),
            ("make/migrations/postgresql/0002_1.7.0_schema.down.sql", ""),
        ],
        &options(),
    );
    assert_eq!(sets[0].layout, Layout::GolangMigrate);
    assert_eq!(
        names(&sets[0]),
        [
            "0001_initial_schema",
            "0002_1.7.0_schema",
            "0010_1.9.0_schema"
        ]
    );
    assert!(sets[0].migrations[1].down.is_some());
}

#[test]
fn diesel_folders_form_one_set_with_metadata() {
    let repo = Repo::new();
    repo.write("migrations/2019-03-22-170700_b/up.sql", "SELECT 1;");
    repo.write("migrations/2019-03-22-170700_b/down.sql", "SELECT 1;");
    repo.write(
        "migrations/2019-03-22-170700_b/metadata.toml",
        "run_in_transaction = false\n",
    );
    repo.write(
        "migrations/00000000000000_diesel_initial_setup/up.sql",
        "SELECT 1;",
    );
    repo.write("migrations/20161115111853_dumped/up.sql", "SELECT 1;");
    repo.write(
        "migrations/2019-03-22-170700_b/data_oauth_github.sql",
        "SELECT 1;",
    );
    let options = DiscoverOptions {
        root: repo.dir.path().to_path_buf(),
        ..DiscoverOptions::default()
    };
    let candidates = classify(&repo.sql_files(), &options);
    assert_eq!(
        candidates.len(),
        4,
        "the loose data file is not a migration"
    );
    let loaded = candidates
        .into_iter()
        .map(|candidate| {
            let file = SourceFile::read(&candidate.path, "x", CommentStyle::DoubleDash)
                .unwrap()
                .file;
            LoadedCandidate {
                candidate,
                file: Arc::new(file),
            }
        })
        .collect();
    let sets = build_sets(loaded, &options);
    assert_eq!(sets.len(), 1);
    let set = &sets[0];
    assert_eq!(set.layout, Layout::Diesel);
    assert_eq!(set.dir, repo.path("migrations"));
    assert_eq!(
        names(set),
        [
            "00000000000000_diesel_initial_setup",
            "20161115111853_dumped",
            "2019-03-22-170700_b"
        ]
    );
    let last = &set.migrations[2];
    assert!(last.up.is_some() && last.down.is_some());
    assert_eq!(
        last.diesel_metadata.as_deref(),
        Some(
            repo.path("migrations/2019-03-22-170700_b/metadata.toml")
                .as_path()
        )
    );
    assert_eq!(set.migrations[0].diesel_metadata, None);
}

#[test]
fn diesel_trees_per_backend_get_their_dialects() {
    let sets = sets(
        &[
            ("migrations/mysql/2018-01-01-000000_a/up.sql", ""),
            ("migrations/postgresql/2018-01-01-000000_a/up.sql", ""),
            ("migrations/sqlite/2018-01-01-000000_a/up.sql", ""),
        ],
        &options(),
    );
    let dialects: Vec<SqlDialect> = sets.iter().map(|s| s.dialect).collect();
    assert_eq!(
        dialects,
        [SqlDialect::MySql, SqlDialect::Postgres, SqlDialect::Sqlite]
    );
}

#[test]
fn flyway_versions_undo_and_baseline() {
    let sets = sets(
        &[
            ("db/migration/V1_20_3__c.sql", ""),
            ("db/migration/V1_20_10__d.sql", ""),
            ("db/migration/V1_2__b.sql", ""),
            ("db/migration/B1_1__base.sql", ""),
            ("db/migration/U1_2__undo_b.sql", ""),
            ("db/migration/R__views.sql", ""),
        ],
        &options(),
    );
    let set = &sets[0];
    assert_eq!(set.layout, Layout::Flyway);
    assert_eq!(
        names(set),
        ["1_1_base", "1_2_b", "1_20_3_c", "1_20_10_d", "_views"]
    );
    assert_eq!(set.migrations[0].kind, MigrationKind::Baseline);
    assert_eq!(
        file_name(set.migrations[1].down.as_ref()),
        "U1_2__undo_b.sql"
    );
    assert_eq!(set.migrations[4].kind, MigrationKind::Repeatable);
}

#[test]
fn refinery_unversioned_u_file_is_an_up_migration() {
    let sets = sets(&[("migrations/U3__seed.sql", "")], &options());
    let migration = &sets[0].migrations[0];
    assert_eq!(file_name(migration.up.as_ref()), "U3__seed.sql");
    assert!(migration.down.is_none());
}

#[test]
fn flyway_dialect_from_folder_and_file_name_suffix() {
    let sets = sets(
        &[
            ("db/migration/MYSQL/V1__a__MYSQL.sql", ""),
            ("db/migration/H2/V1__a__H2.sql", ""),
            ("db/mig/V1__a__SQLITE.sql", ""),
        ],
        &options(),
    );
    let targets: Vec<(SqlDialect, Option<&str>)> =
        sets.iter().map(|s| (s.dialect, s.engine)).collect();
    assert_eq!(
        targets,
        [
            (SqlDialect::Sqlite, None),
            (SqlDialect::Postgres, Some("h2")),
            (SqlDialect::MySql, None)
        ]
    );
}

#[test]
fn dbmate_files_are_split_into_sections() {
    let text = "-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n";
    let sets = sets(&[("db/migrations/20240101000000_t.sql", text)], &options());
    let set = &sets[0];
    assert_eq!(set.layout, Layout::Dbmate);
    let migration = &set.migrations[0];
    assert_eq!(
        migration.up.as_ref().unwrap().text(),
        "CREATE TABLE t (id int);\n"
    );
    assert_eq!(migration.down.as_ref().unwrap().text(), "DROP TABLE t;\n");
    assert!(Arc::ptr_eq(
        &migration.up.as_ref().unwrap().file,
        &migration.down.as_ref().unwrap().file
    ));
}

#[test]
fn pop_builds_one_set_per_dialect_with_untagged_fallback() {
    let sets = sets(
        &[
            ("sql/20150100000001000000_networks.postgres.up.sql", ""),
            ("sql/20150100000001000000_networks.mysql.up.sql", ""),
            ("sql/20150100000001000000_networks.sqlite3.up.sql", ""),
            ("sql/20150100000001000000_networks.cockroach.up.sql", ""),
            ("sql/20200101000000000000_shared.up.sql", ""),
            ("sql/20200101000000000000_shared.down.sql", ""),
            ("sql/20200101000000000000_shared.mysql.up.sql", ""),
            ("sql/20210101000000000000_idx.autocommit.up.sql", ""),
        ],
        &options(),
    );
    let summary: Vec<(SqlDialect, Option<&str>, Vec<String>)> = sets
        .iter()
        .map(|s| {
            let ups = s
                .migrations
                .iter()
                .map(|m| file_name(m.up.as_ref()))
                .collect();
            (s.dialect, s.engine, ups)
        })
        .collect();
    assert!(sets.iter().all(|s| s.layout == Layout::Pop));
    assert_eq!(summary.len(), 4);
    assert_eq!(
        summary[2],
        (
            SqlDialect::Postgres,
            None,
            vec![
                "20150100000001000000_networks.postgres.up.sql".to_owned(),
                "20200101000000000000_shared.up.sql".to_owned(),
                "20210101000000000000_idx.autocommit.up.sql".to_owned()
            ]
        )
    );
    let mysql = &summary[1];
    assert_eq!(mysql.0, SqlDialect::MySql);
    assert_eq!(mysql.2[1], "20200101000000000000_shared.mysql.up.sql");
    assert_eq!(summary[0].1, Some("cockroachdb"));
    let postgres = &sets[2];
    assert!(postgres.migrations[2].up.as_ref().unwrap().autocommit);
    assert!(postgres.migrations[1].down.is_some());
}

#[test]
fn configured_dialect_keeps_only_its_pop_set() {
    let options = DiscoverOptions {
        dialect: Some(SqlDialect::Sqlite),
        ..options()
    };
    let sets = sets(
        &[
            ("sql/1_a.postgres.up.sql", ""),
            ("sql/1_a.sqlite.up.sql", ""),
        ],
        &options,
    );
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].dialect, SqlDialect::Sqlite);
    assert_eq!(
        file_name(sets[0].migrations[0].up.as_ref()),
        "1_a.sqlite.up.sql"
    );
}

#[test]
fn pop_parts_of_one_change() {
    let sets = sets(
        &[
            ("sql/20191100000001000000_identities.up.sql", ""),
            ("sql/20191100000001000001_identities.up.sql", ""),
            ("sql/20191100000002000000_identities.up.sql", ""),
        ],
        &options(),
    );
    assert!(sets[0].same_change(0, 1));
    assert!(!sets[0].same_change(1, 2));
}

#[test]
fn files_of_no_layout_are_not_migrations_unless_named() {
    let paths = [
        PathBuf::from("/repo/schema.sql"),
        PathBuf::from("/repo/queries/1_find_user.sql"),
        PathBuf::from("/repo/migrations/2_ok.sql"),
    ];
    let kept: Vec<PathBuf> = classify(&paths, &options())
        .into_iter()
        .map(|c| c.path)
        .collect();
    assert_eq!(kept, [PathBuf::from("/repo/migrations/2_ok.sql")]);
    let named = DiscoverOptions {
        explicit: vec![PathBuf::from("/repo/schema.sql")],
        ..options()
    };
    let kept: Vec<PathBuf> = classify(&paths, &named)
        .into_iter()
        .map(|c| c.path)
        .collect();
    assert_eq!(kept.len(), 2);
}

#[test]
fn configured_migration_folder_accepts_plain_files() {
    let options = DiscoverOptions {
        migration_dirs: vec![PathBuf::from("/repo/db/changes")],
        ..options()
    };
    let kept = classify(&[PathBuf::from("/repo/db/changes/1_a.sql")], &options);
    assert_eq!(kept.len(), 1);
}

#[test]
fn an_explicit_loose_file_is_a_one_file_up_set() {
    let options = DiscoverOptions {
        explicit: vec![PathBuf::from("/repo/sql/mysql/fix.sql")],
        ..options()
    };
    let sets = sets(&[("sql/mysql/fix.sql", "SELECT 1;")], &options);
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].layout, Layout::Loose);
    assert_eq!(sets[0].dialect, SqlDialect::MySql);
    assert_eq!(sets[0].migrations[0].name, "fix");
    assert!(sets[0].migrations[0].up.is_some());
}

#[test]
fn configured_dialect_beats_the_path() {
    let options = DiscoverOptions {
        dialect: Some(SqlDialect::MySql),
        ..options()
    };
    let sets = sets(&[("migrations/sqlite/1_a.sql", "")], &options);
    assert_eq!(sets[0].dialect, SqlDialect::MySql);
}

const SQLITE_TABLE: &str =
    "CREATE TABLE history (id INTEGER PRIMARY KEY AUTOINCREMENT, command TEXT NOT NULL);\n";

#[test]
fn configured_dialect_beats_content() {
    let options = DiscoverOptions {
        dialect: Some(SqlDialect::MySql),
        ..options()
    };
    let sets = sets(&[("migrations/1_a.sql", SQLITE_TABLE)], &options);
    assert_eq!(sets[0].dialect, SqlDialect::MySql);
    assert_eq!(sets[0].dialect_source, DialectSource::Config);
}

#[test]
fn the_path_beats_content() {
    let sets = sets(&[("migrations/mysql/1_a.sql", SQLITE_TABLE)], &options());
    assert_eq!(sets[0].dialect, SqlDialect::MySql);
    assert_eq!(sets[0].dialect_source, DialectSource::Path);
}

#[test]
fn content_picks_the_dialect_of_an_unnamed_set() {
    let sets = sets(
        &[
            ("migrations/1_a.sql", SQLITE_TABLE),
            ("migrations/2_b.sql", "CREATE INDEX h ON history (command);"),
        ],
        &options(),
    );
    assert_eq!(sets[0].dialect, SqlDialect::Sqlite);
    assert_eq!(sets[0].dialect_source, DialectSource::Content);
}

#[test]
fn blob_content_picks_sqlite_for_a_diesel_set() {
    let sets = sets(
        &[(
            "migrations/2024-01-01-000000_store/up.sql",
            "CREATE TABLE store (k TEXT PRIMARY KEY, v BLOB NOT NULL);",
        )],
        &options(),
    );
    assert_eq!(sets[0].dialect, SqlDialect::Sqlite);
    assert_eq!(sets[0].dialect_source, DialectSource::Content);
}

#[test]
fn a_set_with_no_signal_is_postgres_by_default() {
    let sets = sets(
        &[("migrations/1_a.sql", "CREATE TABLE t (id int);")],
        &options(),
    );
    assert_eq!(sets[0].dialect, SqlDialect::Postgres);
    assert_eq!(sets[0].dialect_source, DialectSource::Default);
}

#[test]
fn cargo_features_beat_content() {
    let repo = Repo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"app\"\n[dependencies]\nsqlx = { version = \"0.8\", features = [\"mysql\"] }\n",
    );
    repo.write("migrations/1_a.sql", SQLITE_TABLE);
    let sets = repo_sets(&repo);
    assert_eq!(sets[0].dialect, SqlDialect::MySql);
    assert_eq!(sets[0].dialect_source, DialectSource::CargoFeatures);
}

#[test]
fn a_sqlite_crate_gets_no_postgres_index_finding() {
    let repo = Repo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"app\"\n[dependencies]\nsqlx = { version = \"0.8\", features = [\"sqlite\", \"runtime-tokio\"] }\n",
    );
    repo.write(
        "migrations/20240101000000_a.sql",
        "CREATE TABLE t (id integer primary key, name text);\n",
    );
    repo.write(
        "migrations/20240201000000_b.sql",
        "CREATE INDEX t_name ON t (name);\n",
    );
    assert!(repo.findings(&[], None).iter().all(|f| f.0 != "SQL001"));
    let other = Repo::new();
    other.write(
        "migrations/20240101000000_a.sql",
        "CREATE TABLE t (id integer primary key, name text);\n",
    );
    other.write(
        "migrations/20240201000000_b.sql",
        "CREATE INDEX t_name ON t (name);\n",
    );
    let found: Vec<_> = other
        .findings(&[], None)
        .into_iter()
        .filter(|f| f.0.as_str() <= "SQL008")
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "SQL001");
    assert_eq!(found[0].2, 1);
}

#[test]
fn diesel_orders_a_short_date_version_as_diesel_does() {
    let found = sets(
        &[
            ("migrations/2024-03-13-170000_b/up.sql", "SELECT 1;"),
            ("migrations/2024-03-13_170000_a/up.sql", "SELECT 1;"),
            ("migrations/2018-01-14-171611_first/up.sql", "SELECT 1;"),
            ("migrations/2024-03-12-093000_c/up.sql", "SELECT 1;"),
        ],
        &options(),
    );
    assert_eq!(
        names(&found[0]),
        [
            "2018-01-14-171611_first",
            "2024-03-12-093000_c",
            "2024-03-13_170000_a",
            "2024-03-13-170000_b"
        ]
    );
}

#[test]
fn a_set_with_no_dialect_hint_takes_its_siblings_dialect() {
    let found = sets(
        &[
            (
                "crates/client/migrations/20210422143411_create_history.sql",
                "create table history (id text primary key);",
            ),
            (
                "crates/client/record-migrations/20230531212437_create_records.sql",
                "create table records (id integer primary key autoincrement);",
            ),
            (
                "crates/other/migrations/20230531212437_create_things.sql",
                "create table things (id text primary key);",
            ),
        ],
        &options(),
    );
    let by_dir = |d: &str| {
        found
            .iter()
            .find(|s| s.dir == Path::new("/repo").join(d))
            .unwrap()
    };
    let client = by_dir("crates/client/migrations");
    assert_eq!(client.dialect, SqlDialect::Sqlite);
    assert_eq!(client.dialect_source, DialectSource::Siblings);
    let other = by_dir("crates/other/migrations");
    assert_eq!(other.dialect_source, DialectSource::Default);
}

#[test]
fn a_sibling_named_for_a_database_does_not_lend_its_dialect() {
    let found = sets(
        &[
            (
                "crates/app/migrations/20210422143411_create_history.sql",
                "create table history (id text primary key);",
            ),
            (
                "crates/app/migrations_mysql/20210422143411_create_history.sql",
                "create table history (id int auto_increment primary key);",
            ),
        ],
        &options(),
    );
    let plain = found
        .iter()
        .find(|s| s.dir == Path::new("/repo/crates/app/migrations"))
        .unwrap();
    assert_eq!(plain.dialect_source, DialectSource::Default);
}

#[test]
fn short_reversible_versions_in_a_sqlx_crate_are_sqlx_and_run_in_a_transaction() {
    let files = [
        (
            "migrations/postgresql/1_initial.up.sql",
            "CREATE TABLE t (id int);",
        ),
        ("migrations/postgresql/1_initial.down.sql", "DROP TABLE t;"),
        (
            "migrations/postgresql/2_index.up.sql",
            "CREATE INDEX t_id ON t (id);",
        ),
    ];
    let sqlx = Repo::new();
    sqlx.write(
        "Cargo.toml",
        "[package]\nname = \"metastore\"\n[dependencies]\nsqlx = { workspace = true, optional = true }\n",
    );
    let go = Repo::new();
    for (path, text) in files {
        sqlx.write(path, text);
        go.write(path, text);
    }
    let sets = repo_sets(&sqlx);
    assert_eq!(sets[0].layout, Layout::Sqlx);
    let up = sets[0].migrations[1].script(Direction::Up).unwrap();
    assert!(
        matches!(up.transaction, transaction::Transaction::Wrapped),
        "{:?}",
        up.transaction
    );
    assert_eq!(repo_sets(&go)[0].layout, Layout::GolangMigrate);
}
