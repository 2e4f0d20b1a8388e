//! The crate model: every parsed file placed in its crate's module tree, with
//! an index of function definitions by path, so that a handler expression
//! such as `handlers::users::create`, `create` (a `use` alias) or `Self::f`
//! resolves to a definition. Best effort: names only, no type inference.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use backend_check_core::SourceFile;

use super::layout::{FileLocation, Layout};
use super::{FileFacts, FnDef, FrameworkHints, Scope};
use crate::framework::FnId;

/// How deep alias chains and re-exports are followed.
const MAX_DEPTH: usize = 8;
/// How many resolution steps one path may take.
const MAX_STEPS: usize = 2048;

/// A file that parsed, with its facts.
#[derive(Debug)]
pub struct ParsedFile {
    /// The file.
    pub file: Arc<SourceFile>,
    /// Its facts.
    pub facts: FileFacts,
}

type ModuleKey = (usize, Vec<String>);

/// All parsed files of a run, tied together by crate and module.
pub struct CrateModel {
    files: Vec<ParsedFile>,
    locations: Vec<FileLocation>,
    crate_of_file: Vec<usize>,
    crate_hints: Vec<FrameworkHints>,
    functions: HashMap<ModuleKey, Vec<FnId>>,
    scopes: HashMap<ModuleKey, Vec<(usize, usize)>>,
    test_modules: HashSet<ModuleKey>,
    /// Methods (functions of `impl` blocks) by crate and name.
    methods: HashMap<(usize, String), Vec<FnId>>,
}

impl CrateModel {
    /// Places the files in their crates (reading their manifests from disk)
    /// and indexes their functions.
    pub fn build(files: Vec<ParsedFile>) -> CrateModel {
        CrateModel::build_in(&backend_check_core::FileSystem, files)
    }

    /// Places the files in their crates (reading their manifests from
    /// `sources`) and indexes their functions.
    pub fn build_in(
        sources: &dyn backend_check_core::Sources,
        files: Vec<ParsedFile>,
    ) -> CrateModel {
        let mut layout = Layout::new(sources);
        let locations: Vec<FileLocation> =
            files.iter().map(|f| layout.locate(f.file.path())).collect();
        let mut crate_ids: HashMap<PathBuf, usize> = HashMap::new();
        let crate_of_file: Vec<usize> = locations
            .iter()
            .map(|loc| {
                let next = crate_ids.len();
                *crate_ids.entry(loc.crate_key.clone()).or_insert(next)
            })
            .collect();
        let mut model = CrateModel {
            files,
            locations,
            crate_of_file,
            crate_hints: vec![FrameworkHints::default(); crate_ids.len()],
            functions: HashMap::new(),
            scopes: HashMap::new(),
            test_modules: HashSet::new(),
            methods: HashMap::new(),
        };
        model.index();
        model
    }

    fn index(&mut self) {
        for (file_index, parsed) in self.files.iter().enumerate() {
            let krate = self.crate_of_file.get(file_index).copied().unwrap_or(0);
            if let Some(hints) = self.crate_hints.get_mut(krate) {
                hints.merge(parsed.facts.hints);
            }
            let base = self
                .locations
                .get(file_index)
                .map(|l| l.module.clone())
                .unwrap_or_default();
            for (scope_index, scope) in parsed.facts.scopes.iter().enumerate() {
                let module = concat(&base, &scope.module);
                for decl in &scope.mod_decls {
                    if decl.is_test {
                        self.test_modules
                            .insert((krate, concat(&module, std::slice::from_ref(&decl.name))));
                    }
                }
                self.scopes
                    .entry((krate, module))
                    .or_default()
                    .push((file_index, scope_index));
            }
            for (fn_index, def) in parsed.facts.functions.iter().enumerate() {
                if def.is_closure {
                    continue;
                }
                let mut path = base.clone();
                if let Some(scope) = parsed.facts.scopes.get(def.scope) {
                    path.extend(scope.module.iter().cloned());
                }
                path.extend(def.self_type.iter().cloned());
                path.push(def.name.clone());
                let id = FnId {
                    file: file_index,
                    function: fn_index,
                };
                if def.self_type.is_some() {
                    self.methods
                        .entry((krate, def.name.clone()))
                        .or_default()
                        .push(id);
                }
                self.functions.entry((krate, path)).or_default().push(id);
            }
        }
    }

    /// The files.
    pub fn files(&self) -> &[ParsedFile] {
        &self.files
    }

    /// A file by index.
    pub fn file(&self, index: usize) -> Option<&ParsedFile> {
        self.files.get(index)
    }

    /// Where a file sits in its crate.
    pub fn location(&self, file: usize) -> Option<&FileLocation> {
        self.locations.get(file)
    }

    /// The crate (module tree) a file belongs to, as an index: files of one
    /// application share it.
    pub fn crate_of(&self, file: usize) -> usize {
        self.crate_of_file.get(file).copied().unwrap_or(0)
    }

    /// The number of crates (module trees).
    pub fn crate_count(&self) -> usize {
        self.crate_hints.len()
    }

    /// The crate functions a function calls directly, one level deep: calls
    /// of paths resolved through `use` aliases and module paths
    /// (`repo::find(…)`, `Self::load(…)`), and method calls (`self.save(…)`,
    /// `db.find_user(…)`) when exactly one non-test method of the crate has
    /// that name and the name is not a common standard-library method.
    /// Each callee is listed once, with the span of its first call; test
    /// code and the function itself are left out.
    pub fn direct_callees(&self, id: FnId) -> Vec<Callee> {
        let Some(def) = self.function(id) else {
            return Vec::new();
        };
        let krate = self.crate_of(id.file);
        let mut out: Vec<Callee> = Vec::new();
        let mut add = |callee: FnId, span| {
            if callee != id
                && !out.iter().any(|c| c.function == callee)
                && !self.is_test_code(callee)
            {
                out.push(Callee {
                    function: callee,
                    span,
                });
            }
        };
        for call in &def.body.calls {
            if let Some(callee) =
                self.resolve(id.file, def.scope, &call.path, def.self_type.as_deref())
            {
                add(callee, call.span);
            }
        }
        for call in &def.body.method_calls {
            if super::callees::is_common_method(&call.method) {
                continue;
            }
            if let Some([only]) = self
                .methods
                .get(&(krate, call.method.clone()))
                .map(Vec::as_slice)
            {
                add(*only, call.span);
            }
        }
        out
    }

    /// The absolute module path of a function (`["repo", "users"]`), its
    /// `impl` type left out.
    pub fn module_of(&self, id: FnId) -> Vec<String> {
        self.function(id)
            .map(|def| self.scope_module(id.file, def.scope))
            .unwrap_or_default()
    }

    /// A function by id.
    pub fn function(&self, id: FnId) -> Option<&FnDef> {
        self.files.get(id.file)?.facts.functions.get(id.function)
    }

    fn scope(&self, file: usize, scope: usize) -> Option<&Scope> {
        self.files.get(file)?.facts.scopes.get(scope)
    }

    /// The absolute module path of a scope.
    fn scope_module(&self, file: usize, scope: usize) -> Vec<String> {
        let base = self
            .locations
            .get(file)
            .map(|l| l.module.as_slice())
            .unwrap_or_default();
        let inner = self
            .scope(file, scope)
            .map(|s| s.module.as_slice())
            .unwrap_or_default();
        concat(base, inner)
    }

    /// The framework hints of every file of the crate a file belongs to.
    pub fn crate_hints(&self, file: usize) -> FrameworkHints {
        self.crate_of_file
            .get(file)
            .and_then(|&k| self.crate_hints.get(k))
            .copied()
            .unwrap_or_default()
    }

    /// Whether a function is test code: a test attribute or `#[cfg(test)]`
    /// on it or an enclosing module (inline, or declared `#[cfg(test)] mod x;`),
    /// or a file below `tests/`, `benches/` or `examples/` of its package.
    pub fn is_test_code(&self, id: FnId) -> bool {
        let Some(def) = self.function(id) else {
            return true;
        };
        let by_location = self.locations.get(id.file).is_some_and(|l| l.exempt);
        let by_scope = self.scope(id.file, def.scope).is_some_and(|s| s.is_test);
        def.is_test || by_location || by_scope || self.in_test_module(id.file, def.scope)
    }

    /// Whether the whole file is test code: below `tests/`, `benches/` or
    /// `examples/` of its package, or a module that a `#[cfg(test)] mod x;`
    /// declares (or one below it), such as `src/tests/shard.rs` under
    /// `#[cfg(test)] mod tests;` in `lib.rs`.
    pub fn is_test_file(&self, file: usize) -> bool {
        let Some(location) = self.locations.get(file) else {
            return false;
        };
        if location.exempt {
            return true;
        }
        let krate = self.crate_of_file.get(file).copied().unwrap_or(0);
        let module = &location.module;
        (1..=module.len()).any(|n| {
            module
                .get(..n)
                .is_some_and(|prefix| self.test_modules.contains(&(krate, prefix.to_vec())))
        })
    }

    fn in_test_module(&self, file: usize, scope: usize) -> bool {
        let krate = self.crate_of_file.get(file).copied().unwrap_or(0);
        let module = self.scope_module(file, scope);
        (1..=module.len()).any(|n| {
            module
                .get(..n)
                .is_some_and(|prefix| self.test_modules.contains(&(krate, prefix.to_vec())))
        })
    }

    /// A path with its first segment replaced by what a `use` item of the
    /// scope (or of the file) binds it to: `sleep(d)` after
    /// `use std::thread::sleep;` gives `std::thread::sleep`.
    pub fn expand_path(&self, file: usize, scope: usize, path: &[String]) -> Vec<String> {
        let Some((first, rest)) = path.split_first() else {
            return Vec::new();
        };
        let alias = [scope, 0]
            .iter()
            .filter_map(|&s| self.scope(file, s))
            .flat_map(|s| s.uses.iter())
            .find(|u| &u.name == first);
        match alias {
            Some(alias) => {
                let mut full: Vec<String> = alias
                    .path
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect();
                full.extend(rest.iter().cloned());
                full
            }
            None => path.iter().filter(|s| !s.is_empty()).cloned().collect(),
        }
    }

    /// Every function definition with its id.
    pub fn functions(&self) -> impl Iterator<Item = (FnId, &FnDef)> + '_ {
        self.files.iter().enumerate().flat_map(|(file, parsed)| {
            parsed
                .facts
                .functions
                .iter()
                .enumerate()
                .map(move |(function, def)| (FnId { file, function }, def))
        })
    }

    /// Resolves a path written in a scope of a file to a function definition.
    pub fn resolve(
        &self,
        file: usize,
        scope: usize,
        path: &[String],
        self_type: Option<&str>,
    ) -> Option<FnId> {
        self.resolve_with(file, scope, path, self_type, false)
    }

    /// Like [`CrateModel::resolve`], and also through glob imports of
    /// modules (`use crate::controllers::*;` then `krate::search::list`):
    /// for handlers and routers named in router-building code.
    pub fn resolve_route_target(
        &self,
        file: usize,
        scope: usize,
        path: &[String],
        self_type: Option<&str>,
    ) -> Option<FnId> {
        self.resolve_with(file, scope, path, self_type, true)
    }

    fn resolve_with(
        &self,
        file: usize,
        scope: usize,
        path: &[String],
        self_type: Option<&str>,
        module_globs: bool,
    ) -> Option<FnId> {
        let resolver = Resolver {
            model: self,
            module_globs,
            krate: self.crate_of_file.get(file).copied()?,
            steps: Cell::new(0),
            looked_up: RefCell::new(HashSet::new()),
        };
        resolver.resolve(file, scope, path, self_type, 0)
    }
}

/// A crate function called directly by another (see [`CrateModel::direct_callees`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Callee {
    /// The called function.
    pub function: FnId,
    /// The first call of it in the caller (a path call, or a method call from
    /// the method name through the closing parenthesis).
    pub span: backend_check_core::Span,
}

struct Resolver<'m> {
    model: &'m CrateModel,
    krate: usize,
    /// Whether a path of several segments is also looked up through glob
    /// imports of modules (costly: done for router targets only).
    module_globs: bool,
    steps: Cell<usize>,
    /// Absolute paths already looked up: a second lookup of the same path
    /// (through another glob) cannot find more, so it is cut short.
    looked_up: RefCell<HashSet<Vec<String>>>,
}

impl Resolver<'_> {
    fn spend(&self, depth: usize) -> bool {
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        steps <= MAX_STEPS && depth <= MAX_DEPTH
    }

    fn resolve(
        &self,
        file: usize,
        scope: usize,
        path: &[String],
        self_type: Option<&str>,
        depth: usize,
    ) -> Option<FnId> {
        if !self.spend(depth) {
            return None;
        }
        let (first, rest) = path.split_first()?;
        let module = self.model.scope_module(file, scope);
        match first.as_str() {
            "" => None,
            "crate" => self.lookup(rest.to_vec(), depth),
            "self" => self.lookup(concat(&module, rest), depth),
            "super" => {
                let mut module = module;
                let mut rest = path;
                while rest.first().is_some_and(|s| s == "super") {
                    module.pop();
                    rest = rest.get(1..).unwrap_or_default();
                }
                self.lookup(concat(&module, rest), depth)
            }
            "Self" => {
                let mut full = module;
                full.push(self_type?.to_owned());
                self.lookup(concat(&full, rest), depth)
            }
            _ => self.resolve_name(file, scope, path, &module, depth),
        }
    }

    /// A path starting with a plain name: a `use` alias, an item of the
    /// module, a glob import, or a path from the crate root.
    fn resolve_name(
        &self,
        file: usize,
        scope: usize,
        path: &[String],
        module: &[String],
        depth: usize,
    ) -> Option<FnId> {
        let (first, rest) = path.split_first()?;
        let scope_facts = self.model.scope(file, scope)?;
        if let Some(alias) = scope_facts.uses.iter().find(|u| &u.name == first) {
            let full = concat(&alias.path, rest);
            if let Some(id) = self.resolve(file, scope, &full, None, depth + 1) {
                return Some(id);
            }
        }
        if let Some(id) = self.lookup(concat(module, path), depth) {
            return Some(id);
        }
        let globs = if rest.is_empty() {
            scope_facts.globs.as_slice()
        } else {
            &[]
        };
        for glob in globs {
            if let Some(id) = self.resolve(file, scope, &concat(glob, path), None, depth + 1) {
                return Some(id);
            }
        }
        if !module.is_empty() {
            if let Some(id) = self.lookup(path.to_vec(), depth) {
                return Some(id);
            }
        }
        if rest.is_empty() || !self.module_globs || depth > 0 {
            return None;
        }
        // A glob also brings modules into scope: after `use crate::controllers::*;`,
        // `krate::search::list` names `crate::controllers::krate::search::list`
        // (tried last, for the path as written only).
        scope_facts
            .globs
            .iter()
            .find_map(|glob| self.resolve(file, scope, &concat(glob, path), None, depth + 1))
    }

    /// An absolute path: a definition, or a re-export (`pub use`) on the way.
    fn lookup(&self, path: Vec<String>, depth: usize) -> Option<FnId> {
        if !self.spend(depth) || !self.looked_up.borrow_mut().insert(path.clone()) {
            return None;
        }
        if let Some(id) = self
            .model
            .functions
            .get(&(self.krate, path.clone()))
            .and_then(|ids| ids.first())
        {
            return Some(*id);
        }
        for k in (0..path.len()).rev() {
            let (Some(module), Some(name), Some(rest)) =
                (path.get(..k), path.get(k), path.get(k + 1..))
            else {
                continue;
            };
            let Some(scopes) = self.model.scopes.get(&(self.krate, module.to_vec())) else {
                continue;
            };
            for &(file, scope) in scopes {
                if let Some(id) = self.follow_reexport(file, scope, name, rest, depth) {
                    return Some(id);
                }
            }
        }
        None
    }

    fn follow_reexport(
        &self,
        file: usize,
        scope: usize,
        name: &String,
        rest: &[String],
        depth: usize,
    ) -> Option<FnId> {
        let facts = self.model.scope(file, scope)?;
        if let Some(alias) = facts.uses.iter().find(|u| &u.name == name) {
            if let Some(id) = self.resolve(file, scope, &concat(&alias.path, rest), None, depth + 1)
            {
                return Some(id);
            }
        }
        if !rest.is_empty() {
            // A glob could also re-export a module, but following globs for
            // every prefix of a path grows exponentially with nested globs.
            return None;
        }
        let tail = vec![name.clone()];
        facts
            .globs
            .iter()
            .find_map(|glob| self.resolve(file, scope, &concat(glob, &tail), None, depth + 1))
    }
}

fn concat(a: &[String], b: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    out.extend(a.iter().cloned());
    out.extend(b.iter().cloned());
    out
}
