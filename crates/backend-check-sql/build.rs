//! Writes the rule registry from the rule files (see `backend-check-codegen`).

use std::path::Path;

use backend_check_codegen::{write_registry, Registry};

fn main() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let registry = Registry {
        open: "declare_rules! {\n",
        mark_no_dispatch: false,
    };
    write_registry(&rules, &registry);
}
