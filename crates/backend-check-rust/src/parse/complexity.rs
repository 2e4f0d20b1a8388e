//! The size and shape of a function body: statements, branches, loops,
//! nesting and inline arithmetic, for the logic-in-routes rule.

use syn::visit::{self, Visit};
use syn::{BinOp, Expr, ExprBinary, ExprForLoop, ExprIf, ExprLoop, ExprMatch, ExprWhile, Item};

use crate::model::Complexity;

/// Measures a function body.
pub fn of_block(block: &syn::Block) -> Complexity {
    let mut m = Measure::default();
    m.visit_block(block);
    m.out
}

/// Measures a closure body.
pub fn of_expr(expr: &Expr) -> Complexity {
    let mut m = Measure::default();
    m.visit_expr(expr);
    m.out
}

#[derive(Default)]
struct Measure {
    out: Complexity,
    depth: usize,
}

impl Measure {
    fn nested(&mut self, f: impl FnOnce(&mut Self)) {
        self.depth += 1;
        self.out.max_nesting = self.out.max_nesting.max(self.depth);
        f(self);
        self.depth -= 1;
    }
}

fn is_arithmetic(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::Add(_)
            | BinOp::Sub(_)
            | BinOp::Mul(_)
            | BinOp::Div(_)
            | BinOp::Rem(_)
            | BinOp::AddAssign(_)
            | BinOp::SubAssign(_)
            | BinOp::MulAssign(_)
            | BinOp::DivAssign(_)
            | BinOp::RemAssign(_)
    )
}

fn is_str_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(l) => matches!(l.lit, syn::Lit::Str(_)),
        Expr::Reference(r) => is_str_literal(&r.expr),
        _ => false,
    }
}

impl<'ast> Visit<'ast> for Measure {
    fn visit_stmt(&mut self, node: &'ast syn::Stmt) {
        self.out.statements += 1;
        visit::visit_stmt(self, node);
    }

    fn visit_expr_if(&mut self, node: &'ast ExprIf) {
        self.out.branches += 1;
        self.nested(|m| visit::visit_expr_if(m, node));
    }

    /// A match counts once, plus each arm after the first that decides more
    /// than a value (a guard, or a block / `if` / `match` body): a lookup
    /// table of `"x" => value` arms is one branch.
    fn visit_expr_match(&mut self, node: &'ast ExprMatch) {
        let deciding = node
            .arms
            .iter()
            .skip(1)
            .filter(|arm| {
                arm.guard.is_some()
                    || matches!(&*arm.body, Expr::Block(_) | Expr::If(_) | Expr::Match(_))
            })
            .count();
        self.out.branches += usize::from(node.arms.len() > 1) + deciding;
        self.nested(|m| visit::visit_expr_match(m, node));
    }

    fn visit_expr_for_loop(&mut self, node: &'ast ExprForLoop) {
        self.out.branches += 1;
        self.nested(|m| visit::visit_expr_for_loop(m, node));
    }

    fn visit_expr_while(&mut self, node: &'ast ExprWhile) {
        self.out.branches += 1;
        self.nested(|m| visit::visit_expr_while(m, node));
    }

    fn visit_expr_loop(&mut self, node: &'ast ExprLoop) {
        self.out.branches += 1;
        self.nested(|m| visit::visit_expr_loop(m, node));
    }

    fn visit_expr_binary(&mut self, node: &'ast ExprBinary) {
        match node.op {
            BinOp::And(_) | BinOp::Or(_) => self.out.branches += 1,
            ref op
                if is_arithmetic(op)
                    && !is_str_literal(&node.left)
                    && !is_str_literal(&node.right) =>
            {
                self.out.arithmetic += 1;
            }
            _ => {}
        }
        visit::visit_expr_binary(self, node);
    }

    fn visit_item(&mut self, _: &'ast Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(body: &str) -> Complexity {
        let block: syn::Block = syn::parse_str(body).unwrap();
        of_block(&block)
    }

    #[test]
    fn counts_branches_loops_nesting_and_arithmetic() {
        let c = measure(
            r#"{
                let mut total = 0.0;
                for item in &items {
                    if item.qty > 10 && item.bulk { total += item.price * 0.9; } else { total += item.price; }
                }
                let label = "a" .to_owned() + "b";
                match kind { A => 1, B => 2, _ => { 3 } };
                total
            }"#,
        );
        assert_eq!(c.statements, 9);
        assert_eq!(c.branches, 1 + 1 + 1 + 2);
        let table = measure("{ match name { \"a\" => 1, \"b\" => 2, \"c\" => 3, _ => 0 } }");
        assert_eq!(table.branches, 1);
        assert_eq!(c.max_nesting, 2);
        assert_eq!(c.arithmetic, 3);
    }

    #[test]
    fn nested_items_are_not_measured() {
        let c = measure("{ fn inner() { if a { b } } 1 + 2 }");
        assert_eq!(c.branches, 0);
        assert_eq!(c.arithmetic, 1);
    }
}
