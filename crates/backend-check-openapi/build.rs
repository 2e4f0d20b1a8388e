//! Writes the rule registry from the rule files (see `backend-check-codegen`).

use std::path::Path;

use backend_check_codegen::{write_registry, Registry};

fn main() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let registry = Registry {
        open: "backend_check_core::declare_rules! {\n    context: Context<'_>;\n",
        mark_no_dispatch: true,
    };
    write_registry(&rules, &registry);
}
