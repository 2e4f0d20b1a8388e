//! The item walk of one file: scopes, `use` items, functions and their bodies.

use syn::{Attribute, Block, ImplItem, Item, ItemImpl, ItemMod, Signature, Type};

use super::attrs::{is_cfg_test, is_test_item};
use super::body::{walk_block, RegistrationContext};
use super::{flows, params, sql, uses, SpanMap};
use crate::framework::attributes;
use crate::model::{FileFacts, FnDef, HandlerRef, ModDecl, Scope};

/// Extracts the facts of a parsed file.
pub fn extract(ast: &syn::File, spans: &SpanMap<'_>) -> FileFacts {
    let mut extractor = Extractor {
        spans,
        facts: FileFacts::default(),
        attribute_names: Vec::new(),
    };
    extractor.facts.scopes.push(Scope {
        is_test: is_cfg_test(&ast.attrs),
        ..Scope::default()
    });
    extractor.items(&ast.items, 0);
    extractor.finish()
}

struct Extractor<'s, 'a> {
    spans: &'s SpanMap<'a>,
    facts: FileFacts,
    /// Route attributes whose framework is still unknown: function index and macro name.
    attribute_names: Vec<(usize, String)>,
}

/// A function item or method, borrowed from the tree.
struct FnItem<'t> {
    attrs: &'t [Attribute],
    sig: &'t Signature,
    block: &'t Block,
}

impl Extractor<'_, '_> {
    fn items(&mut self, items: &[Item], scope: usize) {
        for item in items {
            self.item(item, scope);
        }
    }

    fn item(&mut self, item: &Item, scope: usize) {
        match item {
            Item::Fn(f) => self.function(
                &FnItem {
                    attrs: &f.attrs,
                    sig: &f.sig,
                    block: &f.block,
                },
                scope,
                None,
                false,
            ),
            Item::Impl(i) => self.impl_block(i, scope),
            Item::Mod(m) => self.module(m, scope),
            Item::Use(u) => {
                if let Some(s) = self.facts.scopes.get_mut(scope) {
                    uses::record(u, s, &mut self.facts.hints);
                }
            }
            Item::ExternCrate(e) => self.facts.hints.note(&e.ident.to_string()),
            _ => {}
        }
    }

    fn scope_is_test(&self, scope: usize) -> bool {
        self.facts.scopes.get(scope).is_some_and(|s| s.is_test)
    }

    fn impl_block(&mut self, block: &ItemImpl, scope: usize) {
        let self_type = type_name(&block.self_ty);
        let trait_name = block
            .trait_
            .as_ref()
            .and_then(|(_, path, _)| path.segments.last())
            .map(|s| s.ident.to_string());
        let in_test = is_test_item(&block.attrs);
        for item in &block.items {
            if let ImplItem::Fn(m) = item {
                let f = FnItem {
                    attrs: &m.attrs,
                    sig: &m.sig,
                    block: &m.block,
                };
                let before = self.facts.functions.len();
                self.function(&f, scope, self_type.clone(), in_test);
                if let Some(def) = self
                    .facts
                    .functions
                    .get_mut(before..)
                    .and_then(|d| d.last_mut())
                {
                    def.trait_name.clone_from(&trait_name);
                }
            }
        }
    }

    fn module(&mut self, module: &ItemMod, scope: usize) {
        let name = module.ident.to_string();
        let is_test = self.scope_is_test(scope) || is_test_item(&module.attrs);
        match &module.content {
            None => {
                if let Some(s) = self.facts.scopes.get_mut(scope) {
                    s.mod_decls.push(ModDecl { name, is_test });
                }
            }
            Some((_, items)) => {
                let mut path = self
                    .facts
                    .scopes
                    .get(scope)
                    .map(|s| s.module.clone())
                    .unwrap_or_default();
                path.push(name);
                self.facts.scopes.push(Scope {
                    module: path,
                    is_test,
                    ..Scope::default()
                });
                let inner = self.facts.scopes.len() - 1;
                self.items(items, inner);
            }
        }
    }

    fn function(&mut self, f: &FnItem<'_>, scope: usize, self_type: Option<String>, in_test: bool) {
        let is_test = in_test || self.scope_is_test(scope) || is_test_item(f.attrs);
        let base = self.facts.functions.len();
        let context = (!is_test).then(|| RegistrationContext {
            scope,
            self_type: self_type.clone(),
            owner: 0,
        });
        let is_async = f.sig.asyncness.is_some();
        let mut walk = walk_block(f.block, self.spans, context, is_async);
        if super::body::allows_panics(f.attrs) {
            walk.facts
                .method_calls
                .iter_mut()
                .for_each(|c| c.panic_allowed = true);
        }
        (walk.facts.sql_sinks, walk.facts.sql_queries) = sql::scan(f.block, self.spans);
        walk.facts.flows = flows::in_block(f.block, self.spans);
        walk.facts.complexity = super::complexity::of_block(f.block);
        let owner = base + walk.closures.len();
        self.facts.functions.extend(walk.closures);
        self.facts
            .registrations
            .extend(walk.registrations.into_iter().map(|mut r| {
                if let HandlerRef::Local(i) = &mut r.target {
                    *i += base;
                }
                r.owner = owner;
                r
            }));
        self.facts.links.extend(walk.links.into_iter().map(|mut l| {
            l.owner = owner;
            l
        }));
        let route_attr = if is_test {
            None
        } else {
            attributes::route_attr(f.attrs, self.spans)
        };
        if let Some((attr, name)) = &route_attr {
            if attr.framework.is_none() {
                self.attribute_names
                    .push((self.facts.functions.len(), name.clone()));
            }
        }
        self.facts.functions.push(FnDef {
            name: f.sig.ident.to_string(),
            name_span: self.spans.span(f.sig.ident.span()),
            scope,
            self_type,
            trait_name: None,
            is_async: f.sig.asyncness.is_some(),
            is_test,
            is_closure: false,
            route_attr: route_attr.map(|(attr, _)| attr),
            params: params::params(f.sig),
            instrument: attributes::instrument(f.attrs, self.spans),
            body: walk.facts,
        });
    }

    /// Decides the framework of route attributes from the file's `use` items.
    fn finish(mut self) -> FileFacts {
        let hinted = self.facts.hints.attribute_framework();
        for (index, name) in std::mem::take(&mut self.attribute_names) {
            let Some(def) = self.facts.functions.get(index) else {
                continue;
            };
            let by_use = imported_framework(&self.facts, def.scope, &name);
            if let Some(attr) = self
                .facts
                .functions
                .get_mut(index)
                .and_then(|d| d.route_attr.as_mut())
            {
                attr.framework = by_use.or(hinted);
            }
        }
        self.facts
    }
}

/// The framework an attribute macro name was imported from in `scope` or the file's scope.
fn imported_framework(
    facts: &FileFacts,
    scope: usize,
    name: &str,
) -> Option<crate::framework::Framework> {
    [scope, 0]
        .iter()
        .filter_map(|&s| facts.scopes.get(s))
        .flat_map(|s| s.uses.iter())
        .find(|u| u.name == name)
        .and_then(|u| u.path.iter().find(|seg| !seg.is_empty()))
        .and_then(|first| attributes::framework_of_crate(first))
}

/// The name of an `impl` block's type (`Foo` for `impl<T> a::Foo<T>`).
fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        Type::Reference(r) => type_name(&r.elem),
        Type::Paren(p) => type_name(&p.elem),
        _ => None,
    }
}
