//! The machinery that runs the rules over a set: one rule trait with a hook
//! per thing a rule can judge ([`SqlRule`]), and one walk over each set
//! ([`check_set`]) that replays its schema once and calls the hooks of the
//! enabled rules (listed once, in `rules/mod.rs`, by the
//! [`registry`] macro) as it goes; then what the history of the set does to
//! its findings ([`history`]).

pub mod history;
pub(crate) mod registry;
mod set_schema;
mod walk;

use std::sync::Arc;

use backend_check_core::{guard, Diagnostic, Sink, SourceFile};

use crate::model::{MigrationSet, Script};
use crate::rules::Registry;
use crate::schema::Catalog;
pub(crate) use set_schema::SetSchema;
pub(crate) use walk::{object_head, Change, ScriptView, Step};

/// A rule of the SQL analyzer. Each hook does nothing unless the rule
/// implements it; the engine calls the hooks of the enabled rules in one
/// walk over each set, in this order: every file, the set, then migration by
/// migration its up script, the up's statements, its down script and the
/// change it ends, and last the final schema.
pub(crate) trait SqlRule {
    /// Each file of the set, with every script it holds (a dbmate file holds
    /// an up and a down).
    fn file(&self, _set: &MigrationSet, _file: &Arc<SourceFile>, _sink: &mut Sink<'_>) {}

    /// The set as a whole (its order, versions and scripts), without the schema.
    fn set(&self, _set: &MigrationSet, _sink: &mut Sink<'_>) {}

    /// Each up and down script, whole (`script.script.direction` tells which).
    fn script(&self, _script: &ScriptView<'_>, _sink: &mut Sink<'_>) {}

    /// Each statement of an up script, and each statement inside its `DO`
    /// blocks, with the schema before it.
    fn statement(&self, _step: &Step<'_>, _sink: &mut Sink<'_>) {}

    /// Each change that has a down script, once its up scripts have run,
    /// with the schema before and after them.
    fn migration(&self, _change: &Change<'_>, _sink: &mut Sink<'_>) {}

    /// The schema the whole set builds.
    fn schema(&self, _schema: &SetSchema<'_>, _sink: &mut Sink<'_>) {}
}

/// Runs the enabled rules on one parsed set, replaying its schema once;
/// returns the internal errors. Each script is walked under [`guard`], and
/// each file, set, change and schema hook runs under its own, so a bug shows
/// as an internal error on a file and the rest goes on.
/// Also returns the schema the set builds (its one replay's final catalog;
/// `None` when no rule ran, so nothing was replayed).
pub(crate) fn check_set(
    set: &MigrationSet,
    sink: &mut Sink<'_>,
) -> (Vec<Diagnostic>, Option<Catalog>) {
    let mut internal = Vec::new();
    let rules = Registry::new(sink);
    let files = set.files();
    let Some(first) = files.first().map(|f| Arc::clone(f)) else {
        return (internal, None);
    };
    if !rules.any() {
        return (internal, None);
    }
    for file in &files {
        rules.file(set, file, sink, &mut internal);
    }
    rules.set(set, &first, sink, &mut internal);
    let catalog = walk(set, &rules, &first, sink, &mut internal);
    let schema = SetSchema { set, catalog };
    rules.schema(&schema, &first, sink, &mut internal);
    (internal, Some(schema.catalog))
}

/// The one replay of a set: every up script applied in order, each of its
/// statements shown to the rules first; each down script shown whole; each
/// change with a down script shown with the schema before and after its
/// ups. Returns the final schema.
fn walk(
    set: &MigrationSet,
    rules: &Registry,
    first: &Arc<SourceFile>,
    sink: &mut Sink<'_>,
    internal: &mut Vec<Diagnostic>,
) -> Catalog {
    let mut catalog = Catalog::for_set(set);
    let mut change: Option<(usize, Catalog)> = None;
    for (index, migration) in set.migrations.iter().enumerate() {
        if starts_change(set, index) {
            change = has_down(set, index).then(|| (index, catalog.clone()));
        }
        catalog.set_origin(index, 0);
        if let Some(up) = &migration.up {
            let walked = guard(&up.file, || {
                walk_up(set, index, up, &mut catalog, rules, sink)
            });
            internal.extend(walked.err());
        }
        if let Some(down) = &migration.down {
            let walked = guard(&down.file, || {
                rules.script(&ScriptView::of(set, index, down), sink);
            });
            internal.extend(walked.err());
        }
        if ends_change(set, index) {
            if let Some((start, before)) = change.take() {
                let change = Change {
                    set,
                    first: start,
                    last: index,
                    before: &before,
                    after: &catalog,
                };
                rules.migration(&change, first, sink, internal);
            }
        }
    }
    catalog
}

/// Shows an up script to the rules, then each statement with the schema
/// before it, applying it after. The statements of a `DO` block come after
/// the block, each with the schema the block leaves and the block's earlier
/// statements applied once more, on a copy: what the statement rules have
/// always been shown there, while the replay applies the block once.
fn walk_up(
    set: &MigrationSet,
    index: usize,
    up: &Script,
    catalog: &mut Catalog,
    rules: &Registry,
    sink: &mut Sink<'_>,
) {
    let view = ScriptView::of(set, index, up);
    rules.script(&view, sink);
    for (position, statement) in up.statements.iter().enumerate() {
        rules.statement(&view.step(position, statement, catalog), sink);
        catalog.apply_at(position, statement);
        if statement.is_do_block() && !statement.body.is_empty() {
            let mut after_block = catalog.clone();
            for inner in &statement.body {
                rules.statement(&view.step(position, inner, &after_block), sink);
                after_block.apply(inner);
            }
        }
    }
}

/// Whether migration `index` starts a change (see [`MigrationSet::same_change`]).
fn starts_change(set: &MigrationSet, index: usize) -> bool {
    index == 0 || !set.same_change(index - 1, index)
}

/// Whether migration `index` ends a change.
fn ends_change(set: &MigrationSet, index: usize) -> bool {
    index + 1 >= set.migrations.len() || !set.same_change(index, index + 1)
}

/// Whether a migration of the change starting at `first` has a down script.
fn has_down(set: &MigrationSet, first: usize) -> bool {
    set.migrations
        .iter()
        .enumerate()
        .skip(first)
        .take_while(|(i, _)| *i == first || set.same_change(first, *i))
        .any(|(_, m)| m.down.is_some())
}

#[cfg(test)]
mod tests {
    use backend_check_core::{AnalyzerInput, Config, RuleSelection, Selector, Sink};

    use crate::schema::STARTED;
    use crate::test_support::Repo;

    /// A set with every kind of rule to run: statements in and out of `DO`
    /// blocks, up and down scripts, a change split over two popx parts.
    fn repo() -> Repo {
        let repo = Repo::new();
        repo.write(
            "migrations/20240101000000_a.up.sql",
            "CREATE TABLE a (id int PRIMARY KEY, note varchar(20));\nCREATE INDEX a_note ON a (note);\n",
        );
        repo.write("migrations/20240101000000_a.down.sql", "DROP TABLE a;\n");
        repo.write(
            "migrations/20240102000000_b.up.sql",
            "ALTER TABLE a ADD COLUMN b int NOT NULL;\nDO $$ BEGIN ALTER TABLE a ALTER COLUMN note TYPE text; END $$;\n",
        );
        repo.write(
            "migrations/20240102000000_b.down.sql",
            "ALTER TABLE a DROP COLUMN b;\n",
        );
        repo.write(
            "other/migrations/1_x.sql",
            "CREATE TABLE x (id serial PRIMARY KEY);\n",
        );
        repo.write(
            "sql/20191100000001000000_ids.postgres.up.sql",
            "CREATE TABLE ids (x int);\n",
        );
        repo.write(
            "sql/20191100000001000001_ids.postgres.up.sql",
            "CREATE INDEX ids_x ON ids (x);\n",
        );
        repo.write(
            "sql/20191100000001000001_ids.postgres.down.sql",
            "DROP INDEX ids_x;\n",
        );
        repo
    }

    #[test]
    fn each_set_is_replayed_once() {
        let repo = repo();
        let paths = repo.sql_files();
        let config = Config::default();
        let selection =
            RuleSelection::resolve(crate::RULES, Some(&[Selector::cli("ALL")]), &[]).unwrap();
        let input = AnalyzerInput {
            root: repo.dir.path(),
            paths: &paths,
            explicit: &[],
            config: &config,
            selection: &selection,
            sources: &backend_check_core::FileSystem,
            build_model: false,
        };
        let loaded = crate::load_sets(&input);
        assert_eq!(loaded.sets.len(), 3);
        for set in &loaded.sets {
            let before = STARTED.with(std::cell::Cell::get);
            let mut sink = Sink::new(&selection);
            let (internal, catalog) = super::check_set(set, &mut sink);
            assert!(catalog.is_some());
            assert!(internal.is_empty());
            assert!(!sink.into_diagnostics().is_empty());
            let replays = STARTED.with(std::cell::Cell::get) - before;
            assert_eq!(replays, 1, "{}", set.dir.display());
        }
    }

    #[test]
    fn statements_after_a_do_block_see_it_applied_once() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE a (id bigint PRIMARY KEY, x int);\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "DO $$ BEGIN ALTER TABLE a RENAME COLUMN x TO y; ALTER TABLE a RENAME COLUMN id TO x; END $$;\nALTER TABLE a ALTER COLUMN y TYPE text;\n",
        );
        let output = repo.run(&[], None);
        let messages: Vec<&str> = output
            .diagnostics
            .iter()
            .filter(|d| d.rule.code == "SQL012")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["column \"y\" of existing table \"a\" changes type from int to text, which rewrites the table"]
        );
    }
}
