//! The model rules read: the facts of each file and the crate model that
//! ties files together (module paths, `use` aliases, function definitions).

mod callees;
mod crates;
mod facts;
mod layout;

pub use crates::{Callee, CrateModel, ParsedFile};
pub use facts::{
    join_paths, BodyFacts, Complexity, ConfigKind, ConfigLiteral, Discard, FieldDef, FileFacts,
    Flow, FlowKind, FnDef, FrameworkHints, HandlerRef, Instrument, LinkTarget, MacroCall,
    MethodCall, ModDecl, Param, PathCall, Registration, RouteAttr, RouteContext, RouterLink, Scope,
    SecretKind, SecretLiteral, SqlPiece, SqlQuery, SqlSink, StructDef, UseAlias,
};
pub use layout::{FileLocation, Layout};
