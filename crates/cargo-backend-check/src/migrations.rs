//! `cargo backend-check migrations`: what the SQL analyzer sees in each
//! migration set (layout, dialect and why, order, up/down pairs, and how the
//! migration tool runs each script).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use backend_check_core::{AnalyzerInput, AnalyzerKind, RuleSelection, SqlDialect};
use backend_check_sql::discover::{DialectSource, Transaction};
use backend_check_sql::{Migration, MigrationKind, MigrationSet, Script};
use serde_json::{json, Value};

use backend_check_engine::{all_rules, discover, load_config, ANALYZERS};

use crate::cli::{MigrationsArgs, MigrationsFormat};
use crate::{discover_error_text, EXIT_OK, EXIT_TOOL_ERROR};

/// Runs `migrations`; returns the exit code.
pub fn command(args: &MigrationsArgs, cwd: &Path, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match sets(args, cwd) {
        Ok(sets) => {
            let text = match args.format {
                MigrationsFormat::Text => text(&sets, cwd),
                MigrationsFormat::Json => json_text(&sets, cwd),
            };
            let _ = out.write_all(text.as_bytes());
            EXIT_OK
        }
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            EXIT_TOOL_ERROR
        }
    }
}

/// Discovers the `.sql` files as `check` does and loads the sets.
fn sets(args: &MigrationsArgs, cwd: &Path) -> Result<Vec<MigrationSet>, String> {
    let config_start = match args.paths.as_slice() {
        [single] if cwd.join(single).is_dir() => cwd.join(single),
        _ => cwd.to_path_buf(),
    };
    let explicit_config = args.config.as_ref().map(|p| cwd.join(p));
    let loaded = load_config(&config_start, explicit_config.as_deref()).map_err(|e| {
        e.reports()
            .iter()
            .map(|r| format!("{r:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let base = loaded
        .source
        .as_ref()
        .map_or_else(|| cwd.to_path_buf(), |s| s.base.clone());
    let discovered = discover(
        &backend_check_core::FileSystem,
        cwd,
        &args.paths,
        &loaded.config,
        &base,
        ANALYZERS,
    )
    .map_err(|e| discover_error_text(&e))?;
    let rules = all_rules();
    let selection = RuleSelection::defaults(&rules);
    let input = AnalyzerInput {
        root: cwd,
        paths: discovered.of(AnalyzerKind::Sql),
        explicit: &discovered.explicit,
        config: &loaded.config,
        selection: &selection,
        sources: &backend_check_core::FileSystem,
        build_model: false,
    };
    let mut sets = backend_check_sql::load_sets(&input).sets;
    sets.sort_by(|a, b| {
        (&a.dir, a.layout, dialect_name(a)).cmp(&(&b.dir, b.layout, dialect_name(b)))
    });
    Ok(sets)
}

fn display(path: &Path, cwd: &Path) -> String {
    backend_check_core::relative_display_path(path, cwd)
}

/// `postgres`, `mysql`, `sqlite`, or `postgres (cockroachdb)` for another engine.
fn dialect_name(set: &MigrationSet) -> String {
    let dialect = match set.dialect {
        SqlDialect::Postgres => "postgres",
        SqlDialect::MySql => "mysql",
        SqlDialect::Sqlite => "sqlite",
    };
    match set.engine {
        Some(engine) => format!("{dialect} ({engine})"),
        None => dialect.to_owned(),
    }
}

fn dialect_reason(source: DialectSource) -> &'static str {
    match source {
        DialectSource::Config => "configured (`sql.dialect`)",
        DialectSource::Path => "folder or file name",
        DialectSource::CargoFeatures => "Cargo feature of the nearest Cargo.toml",
        DialectSource::Content => "content markers",
        DialectSource::Siblings => "the other migration folders beside it",
        DialectSource::Default => "the default: nothing names a database",
    }
}

/// The figures of one set.
struct Summary {
    versioned: usize,
    baselines: usize,
    repeatables: usize,
    first: Option<String>,
    last: Option<String>,
    /// Migrations whose position by file name differs from their position by version.
    out_of_order: Vec<String>,
    paired: usize,
    up_only: usize,
    down_only: usize,
    /// Script counts per transaction mode description.
    modes: BTreeMap<String, usize>,
}

fn mode_label(transaction: Transaction) -> String {
    match transaction {
        Transaction::Wrapped => "wrapped by the runner".to_owned(),
        Transaction::OptedOut { why } => format!("not wrapped: {why}"),
        Transaction::Never { why } => format!("not wrapped: {why}"),
    }
}

fn mode_key(transaction: Transaction) -> &'static str {
    match transaction {
        Transaction::Wrapped => "wrapped",
        Transaction::OptedOut { .. } => "opted-out",
        Transaction::Never { .. } => "never",
    }
}

/// The name a migration has on disk: diesel's folder, else its first file.
fn disk_name(migration: &Migration) -> String {
    let Some(script) = migration.scripts().next() else {
        return String::new();
    };
    let path = script.file.path();
    let named = if path
        .file_name()
        .is_some_and(|n| n == "up.sql" || n == "down.sql")
    {
        path.parent().unwrap_or(path)
    } else {
        path
    };
    named
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn summary(set: &MigrationSet) -> Summary {
    let versioned: Vec<&Migration> = set
        .migrations
        .iter()
        .filter(|m| m.kind == MigrationKind::Versioned && !m.version.is_none())
        .collect();
    let mut by_name: Vec<&Migration> = versioned.clone();
    by_name.sort_by_key(|m| disk_name(m));
    let out_of_order = versioned
        .iter()
        .zip(&by_name)
        .filter(|(a, b)| a.version != b.version)
        .map(|(a, _)| a.version.to_string())
        .collect();
    let mut modes = BTreeMap::new();
    for script in set.migrations.iter().flat_map(Migration::scripts) {
        *modes.entry(mode_label(script.transaction)).or_default() += 1;
    }
    let count = |f: &dyn Fn(&Migration) -> bool| set.migrations.iter().filter(|m| f(m)).count();
    Summary {
        versioned: versioned.len(),
        baselines: count(&|m| m.kind == MigrationKind::Baseline),
        repeatables: count(&|m| m.kind == MigrationKind::Repeatable),
        first: versioned.first().map(|m| m.version.to_string()),
        last: versioned.last().map(|m| m.version.to_string()),
        out_of_order,
        paired: count(&|m| m.up.is_some() && m.down.is_some()),
        up_only: count(&|m| m.up.is_some() && m.down.is_none()),
        down_only: count(&|m| m.up.is_none() && m.down.is_some()),
        modes,
    }
}

fn order_text(s: &Summary) -> String {
    match s.out_of_order.as_slice() {
        [] => "ordered by version; file names sort the same way".to_owned(),
        [first, ..] => format!(
            "ordered by version; {} migrations sort differently by file name (first at version {first})",
            s.out_of_order.len()
        ),
    }
}

fn kinds_text(s: &Summary) -> String {
    let mut text = format!(
        "{} migration{}",
        s.versioned,
        if s.versioned == 1 { "" } else { "s" }
    );
    if s.baselines > 0 {
        text.push_str(&format!(", {} baseline", s.baselines));
    }
    if s.repeatables > 0 {
        text.push_str(&format!(", {} repeatable", s.repeatables));
    }
    if let (Some(first), Some(last)) = (&s.first, &s.last) {
        text.push_str(&format!(", {first} … {last}"));
    }
    text
}

fn text(sets: &[MigrationSet], cwd: &Path) -> String {
    let mut text = String::new();
    let mut paths = std::collections::BTreeSet::new();
    for set in sets {
        let s = summary(set);
        paths.extend(set.files().into_iter().map(|f| f.path().to_path_buf()));
        text.push_str(&format!("{}\n", display(&set.dir, cwd)));
        text.push_str(&format!(
            "  layout {} · dialect {} ({})\n",
            set.layout.as_str(),
            dialect_name(set),
            dialect_reason(set.dialect_source)
        ));
        text.push_str(&format!("  {}; {}\n", kinds_text(&s), order_text(&s)));
        text.push_str(&format!(
            "  up+down {} · up only {} · down only {}\n",
            s.paired, s.up_only, s.down_only
        ));
        let modes: Vec<String> = s
            .modes
            .iter()
            .map(|(mode, n)| format!("{n} {mode}"))
            .collect();
        text.push_str(&format!("  scripts: {}\n", modes.join("; ")));
    }
    let files = paths.len();
    text.push_str(&format!(
        "{} migration set{}, {files} file{}\n",
        sets.len(),
        if sets.len() == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" }
    ));
    text
}

fn script_json(script: &Script, cwd: &Path) -> Value {
    json!({
        "path": display(script.file.path(), cwd),
        "transaction": mode_key(script.transaction),
        "why": match script.transaction {
            Transaction::Wrapped => Value::Null,
            Transaction::OptedOut { why } | Transaction::Never { why } => Value::from(why),
        },
    })
}

fn migration_json(migration: &Migration, cwd: &Path) -> Value {
    let kind = match migration.kind {
        MigrationKind::Versioned => "versioned",
        MigrationKind::Baseline => "baseline",
        MigrationKind::Repeatable => "repeatable",
    };
    json!({
        "version": migration.version.to_string(),
        "name": migration.name,
        "kind": kind,
        "up": migration.up.as_ref().map(|s| script_json(s, cwd)),
        "down": migration.down.as_ref().map(|s| script_json(s, cwd)),
    })
}

fn set_json(set: &MigrationSet, cwd: &Path) -> Value {
    let s = summary(set);
    let source = set.dialect_source;
    json!({
        "dir": display(&set.dir, cwd),
        "layout": set.layout.as_str(),
        "dialect": match set.dialect {
            SqlDialect::Postgres => "postgres",
            SqlDialect::MySql => "mysql",
            SqlDialect::Sqlite => "sqlite",
        },
        "engine": set.engine,
        "dialect_source": source.as_str(),
        "dialect_reason": dialect_reason(source),
        "migrations": s.versioned,
        "baselines": s.baselines,
        "repeatables": s.repeatables,
        "first_version": s.first,
        "last_version": s.last,
        "order": "version",
        "file_order_matches": s.out_of_order.is_empty(),
        "out_of_order_versions": s.out_of_order,
        "pairs": { "up_and_down": s.paired, "up_only": s.up_only, "down_only": s.down_only },
        "transaction_modes": s.modes,
        "steps": set.migrations.iter().map(|m| migration_json(m, cwd)).collect::<Vec<_>>(),
    })
}

fn json_text(sets: &[MigrationSet], cwd: &Path) -> String {
    let sets: Vec<Value> = sets.iter().map(|s| set_json(s, cwd)).collect();
    let mut text = serde_json::to_string_pretty(&json!({ "sets": sets })).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixture(path: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path)
    }

    #[test]
    fn demo_service_lists_one_sqlx_set() {
        let root = fixture("");
        let args = MigrationsArgs {
            paths: vec![PathBuf::from("fixtures/demo-service")],
            format: MigrationsFormat::Text,
            config: None,
        };
        let mut out = Vec::new();
        let mut err = Vec::new();
        assert_eq!(command(&args, &root, &mut out, &mut err), EXIT_OK);
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with("fixtures/demo-service/migrations\n  layout sqlx"),
            "{out}"
        );
    }
}
