//! `use` items: the names they bind and the globs they import.

use syn::{ItemUse, UseTree};

use crate::model::{FrameworkHints, Scope, UseAlias};

/// Records the aliases and globs of a `use` item in `scope`.
pub fn record(item: &ItemUse, scope: &mut Scope, hints: &mut FrameworkHints) {
    let prefix = if item.leading_colon.is_some() {
        vec![String::new()]
    } else {
        Vec::new()
    };
    walk(&item.tree, prefix, scope, hints);
}

fn walk(tree: &UseTree, mut prefix: Vec<String>, scope: &mut Scope, hints: &mut FrameworkHints) {
    match tree {
        UseTree::Path(p) => {
            let segment = p.ident.to_string();
            if prefix.iter().all(String::is_empty) {
                hints.note(&segment);
            }
            prefix.push(segment);
            walk(&p.tree, prefix, scope, hints);
        }
        UseTree::Name(n) => {
            let name = n.ident.to_string();
            bind(scope, hints, prefix, name.clone(), name);
        }
        UseTree::Rename(r) => {
            let alias = r.rename.to_string();
            if alias != "_" {
                bind(scope, hints, prefix, r.ident.to_string(), alias);
            }
        }
        UseTree::Glob(_) => scope.globs.push(prefix),
        UseTree::Group(g) => {
            for item in &g.items {
                walk(item, prefix.clone(), scope, hints);
            }
        }
    }
}

fn bind(
    scope: &mut Scope,
    hints: &mut FrameworkHints,
    mut path: Vec<String>,
    name: String,
    alias: String,
) {
    if name == "self" {
        let Some(last) = path.last().cloned() else {
            return;
        };
        let alias = if alias == "self" { last } else { alias };
        scope.uses.push(UseAlias { name: alias, path });
        return;
    }
    if path.iter().all(String::is_empty) {
        hints.note(&name);
    }
    path.push(name);
    scope.uses.push(UseAlias { name: alias, path });
}
