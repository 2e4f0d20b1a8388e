//! The model rules read: the facts of each file and the crate model that
//! ties files together (module paths, `use` aliases, function definitions).

mod crates;
mod facts;
mod layout;

pub use crates::{CrateModel, ParsedFile};
pub use facts::{
    BodyFacts, FileFacts, FnDef, FrameworkHints, HandlerRef, MacroCall, MethodCall, ModDecl,
    PathCall, Registration, RouteAttr, Scope, UseAlias,
};
pub use layout::{FileLocation, Layout};
