//! What every rule reads: the crate model, the handlers and the configuration.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use backend_check_core::{guard, Diagnostic, RuleContext, RuleMeta, RustConfig, Sink, SourceFile};

use crate::framework::{FnId, Handler};
use crate::model::{CrateModel, FnDef, ParsedFile};

/// The input of the rules.
pub struct Context<'a> {
    /// The crate model.
    pub model: &'a CrateModel,
    /// Every handler.
    pub handlers: &'a [Handler],
    /// The Rust settings.
    pub config: &'a RustConfig,
    by_function: HashMap<FnId, usize>,
    known_auth: std::sync::OnceLock<crate::rules::authn::known_auth::KnownAuth>,
    authenticated: std::sync::OnceLock<Vec<Option<bool>>>,
}

/// The rules run unguarded: a crate has no one file to blame, so each rule
/// guards its own work file by file (or per application, or handler) and
/// returns what those guards caught.
impl RuleContext for Context<'_> {
    fn guard_file(&self) -> Option<&Arc<SourceFile>> {
        None
    }
}

/// A function of the model that is not test code.
pub struct Function<'c> {
    /// Its id.
    pub id: FnId,
    /// Its definition.
    pub def: &'c FnDef,
    /// Its file.
    pub file: &'c Arc<SourceFile>,
    /// The first handler registered for it, if any.
    pub handler: Option<&'c Handler>,
}

impl<'a> Context<'a> {
    /// The handlers of each application (crate of the defining file), in a
    /// stable order.
    pub fn handlers_by_application(&self) -> BTreeMap<usize, Vec<&'a Handler>> {
        let mut apps: BTreeMap<usize, Vec<&'a Handler>> = BTreeMap::new();
        for h in self.handlers {
            apps.entry(self.model.crate_of(h.function.file))
                .or_default()
                .push(h);
        }
        for list in apps.values_mut() {
            list.sort_by(|a, b| {
                (a.file.display_path(), a.name_span.start)
                    .cmp(&(b.file.display_path(), b.name_span.start))
            });
        }
        apps
    }

    /// A context over a model and its handlers.
    pub fn new(model: &'a CrateModel, handlers: &'a [Handler], config: &'a RustConfig) -> Self {
        let mut by_function = HashMap::new();
        for (i, h) in handlers.iter().enumerate() {
            by_function.entry(h.function).or_insert(i);
        }
        Context {
            model,
            handlers,
            config,
            by_function,
            known_auth: std::sync::OnceLock::new(),
            authenticated: std::sync::OnceLock::new(),
        }
    }

    /// Whether a handler of [`Context::handlers`] authenticates its caller, as
    /// rule RS007 judges it (worked out once per run, for the rule and the
    /// model); `None` for a handler whose function is unknown.
    pub fn authenticated(&self, handler: &Handler) -> Option<bool> {
        let all = self.authenticated.get_or_init(|| {
            crate::rules::authn::missing_authentication::authenticated_handlers(self)
        });
        let index = self
            .handlers
            .iter()
            .position(|h| std::ptr::eq(h, handler))?;
        all.get(index).copied().flatten()
    }

    /// What the code defines as authentication, found once per run.
    pub fn known_auth(&self) -> &crate::rules::authn::known_auth::KnownAuth {
        self.known_auth.get_or_init(|| {
            crate::rules::authn::known_auth::KnownAuth::find(self.model, self.config)
        })
    }

    /// The first handler registered for a function.
    pub fn handler_of(&self, id: FnId) -> Option<&'a Handler> {
        self.by_function
            .get(&id)
            .and_then(|&i| self.handlers.get(i))
    }

    /// Runs `check` on every file outside test code (under [`guard`]),
    /// pushing findings when `rule` is enabled. Returns internal errors.
    pub fn each_file(
        &self,
        rule: &RuleMeta,
        sink: &mut Sink<'_>,
        check: impl Fn(&ParsedFile) -> Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        if !sink.enabled(rule) {
            return errors;
        }
        for (index, parsed) in self.model.files().iter().enumerate() {
            if self.model.is_test_file(index) {
                continue;
            }
            match guard(&parsed.file, || check(parsed)) {
                Ok(found) => found.into_iter().for_each(|d| sink.push(d)),
                Err(error) => errors.push(error),
            }
        }
        errors
    }

    /// Runs `check` on every non-test function, file by file under `guard`,
    /// pushing findings when `rule` is enabled; a span reported twice (a
    /// handler closure and the function holding it) is kept once, for the
    /// closure, which comes first. Returns internal errors.
    pub fn each_function(
        &self,
        rule: &RuleMeta,
        sink: &mut Sink<'_>,
        check: impl Fn(&Function<'_>) -> Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        if !sink.enabled(rule) {
            return errors;
        }
        for (file_index, parsed) in self.model.files().iter().enumerate() {
            let found = guard(&parsed.file, || {
                let mut out = Vec::new();
                for (function, def) in parsed.facts.functions.iter().enumerate() {
                    let id = FnId {
                        file: file_index,
                        function,
                    };
                    if self.model.is_test_code(id) {
                        continue;
                    }
                    let f = Function {
                        id,
                        def,
                        file: &parsed.file,
                        handler: self.handler_of(id),
                    };
                    for d in check(&f) {
                        if !out.iter().any(|o: &Diagnostic| o.span == d.span) {
                            out.push(d);
                        }
                    }
                }
                out
            });
            match found {
                Ok(found) => found.into_iter().for_each(|d| sink.push(d)),
                Err(error) => errors.push(error),
            }
        }
        errors
    }
}
