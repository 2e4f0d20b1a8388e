//! The registry macro: one list of the analyzer's rules (in `rules/mod.rs`)
//! makes their `pub use`s, the [`crate::RULES`] table and a [`Registry`]
//! that calls the hooks of the enabled rules, each guarded (after oxc's
//! `declare_all_lint_rules!`).
//!
//! The hooks are called through the rule types, not trait objects, so a hook
//! a rule does not implement (the trait's empty default) costs nothing.
//!
//! [`Registry`]: crate::rules::Registry

/// Declares every rule of the analyzer, in the order of [`crate::RULES`]:
/// `checklist_folder::file::Rule,` once per rule, each type implementing
/// [`crate::engine::SqlRule`].
macro_rules! declare_rules {
    ($($folder:ident :: $file:ident :: $rule:ident,)+) => {
        $(pub use $folder::$file::$rule;)+

        /// Every rule of the SQL analyzer.
        pub const RULES: &[&backend_check_core::RuleMeta] = &[$(&$rule::META,)+];

        /// The rules a selection enables, and the hooks that call them in
        /// the order of [`RULES`]. The per-file, per-set, per-change and
        /// schema hooks run each rule under [`backend_check_core::guard`];
        /// the script and statement hooks run under the guard the walk holds
        /// for the script.
        pub(crate) struct Registry {
            enabled: [bool; RULES.len()],
        }

        impl Registry {
            /// The rules `sink`'s selection enables.
            pub(crate) fn new(sink: &backend_check_core::Sink<'_>) -> Registry {
                let mut enabled = [false; RULES.len()];
                for (on, rule) in enabled.iter_mut().zip(RULES) {
                    *on = sink.enabled(rule);
                }
                Registry { enabled }
            }

            /// Whether any rule is enabled.
            pub(crate) fn any(&self) -> bool {
                self.enabled.contains(&true)
            }

            /// [`SqlRule::file`](crate::engine::SqlRule::file) of every enabled rule.
            pub(crate) fn file(
                &self,
                set: &$crate::model::MigrationSet,
                file: &std::sync::Arc<backend_check_core::SourceFile>,
                sink: &mut backend_check_core::Sink<'_>,
                internal: &mut Vec<backend_check_core::Diagnostic>,
            ) {
                let mut enabled = self.enabled.iter();
                $(
                    if enabled.next() == Some(&true) {
                        let run = || $crate::engine::SqlRule::file(&$rule, set, file, sink);
                        internal.extend(backend_check_core::guard(file, run).err());
                    }
                )+
            }

            /// [`SqlRule::set`](crate::engine::SqlRule::set) of every enabled
            /// rule, guarded on `guarded` (the set's first file).
            pub(crate) fn set(
                &self,
                set: &$crate::model::MigrationSet,
                guarded: &std::sync::Arc<backend_check_core::SourceFile>,
                sink: &mut backend_check_core::Sink<'_>,
                internal: &mut Vec<backend_check_core::Diagnostic>,
            ) {
                let mut enabled = self.enabled.iter();
                $(
                    if enabled.next() == Some(&true) {
                        let run = || $crate::engine::SqlRule::set(&$rule, set, sink);
                        internal.extend(backend_check_core::guard(guarded, run).err());
                    }
                )+
            }

            /// [`SqlRule::script`](crate::engine::SqlRule::script) of every enabled rule.
            pub(crate) fn script(
                &self,
                script: &$crate::engine::ScriptView<'_>,
                sink: &mut backend_check_core::Sink<'_>,
            ) {
                let mut enabled = self.enabled.iter();
                $(
                    if enabled.next() == Some(&true) {
                        $crate::engine::SqlRule::script(&$rule, script, sink);
                    }
                )+
            }

            /// [`SqlRule::statement`](crate::engine::SqlRule::statement) of every enabled rule.
            pub(crate) fn statement(
                &self,
                step: &$crate::engine::Step<'_>,
                sink: &mut backend_check_core::Sink<'_>,
            ) {
                let mut enabled = self.enabled.iter();
                $(
                    if enabled.next() == Some(&true) {
                        $crate::engine::SqlRule::statement(&$rule, step, sink);
                    }
                )+
            }

            /// [`SqlRule::migration`](crate::engine::SqlRule::migration) of
            /// every enabled rule, guarded on `guarded` (the set's first file).
            pub(crate) fn migration(
                &self,
                change: &$crate::engine::Change<'_>,
                guarded: &std::sync::Arc<backend_check_core::SourceFile>,
                sink: &mut backend_check_core::Sink<'_>,
                internal: &mut Vec<backend_check_core::Diagnostic>,
            ) {
                let mut enabled = self.enabled.iter();
                $(
                    if enabled.next() == Some(&true) {
                        let run = || $crate::engine::SqlRule::migration(&$rule, change, sink);
                        internal.extend(backend_check_core::guard(guarded, run).err());
                    }
                )+
            }

            /// [`SqlRule::schema`](crate::engine::SqlRule::schema) of every
            /// enabled rule, guarded on `guarded` (the set's first file).
            pub(crate) fn schema(
                &self,
                schema: &$crate::engine::SetSchema<'_>,
                guarded: &std::sync::Arc<backend_check_core::SourceFile>,
                sink: &mut backend_check_core::Sink<'_>,
                internal: &mut Vec<backend_check_core::Diagnostic>,
            ) {
                let mut enabled = self.enabled.iter();
                $(
                    if enabled.next() == Some(&true) {
                        let run = || $crate::engine::SqlRule::schema(&$rule, schema, sink);
                        internal.extend(backend_check_core::guard(guarded, run).err());
                    }
                )+
            }
        }
    };
}

pub(crate) use declare_rules;
