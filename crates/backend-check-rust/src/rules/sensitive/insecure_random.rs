use backend_check_core::{declare_rule, Diagnostic, Sink};

use super::names::is_token_name;
use crate::model::FlowKind;
use crate::rules::context::{Context, Function};

declare_rule! {
    /// ## What it does
    /// Finds a non-cryptographic random number generator — `SmallRng`, `fastrand`,
    /// `oorandom`, `rand_xorshift`, rand_pcg, `StdRng::seed_from_u64(<literal>)`,
    /// `rand::rngs::mock` — whose output is bound to a token, session id, secret, nonce,
    /// salt, OTP or reset/verification code (by the name of the `let`, the struct field or
    /// the function that returns it). `rand::thread_rng`, `rand::random`, `OsRng` and
    /// `getrandom` are cryptographically secure and never reported.
    ///
    /// ## Why is this bad?
    /// Fast generators are predictable: a few outputs reveal the internal state of
    /// xorshift, PCG or wyrand (fastrand), and a fixed seed makes every run yield the same
    /// values. Whoever can predict the next session id or reset code can take over the
    /// account it is issued to.
    ///
    /// ## Example
    /// ```rust
    /// fn new_session_id() -> String {
    ///     let mut rng = SmallRng::from_entropy();
    ///     (0..32).map(|_| rng.sample(Alphanumeric) as char).collect()
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// fn new_session_id() -> String {
    ///     (0..32).map(|_| OsRng.sample(Alphanumeric) as char).collect()
    /// }
    /// ```
    /// Use `rand::thread_rng()` / `OsRng` / `getrandom` for anything an attacker must not guess.
    ///
    /// ## Options
    /// None.
    pub InsecureRandom {
        code: "RS029",
        name: "insecure-random",
        checklist: SecSensitiveData,
        group: Suspicious,
        severity: Warning,
        summary: "a token, session id or secret is made with a non-cryptographic RNG",
    }
}

impl InsecureRandom {
    /// Reports weak RNGs that make secrets.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        ctx.each_function(&Self::META, sink, findings)
    }
}

fn findings(f: &Function<'_>) -> Vec<Diagnostic> {
    let function_makes_secret = !f.def.is_closure && is_token_name(&f.def.name);
    let mut out: Vec<Diagnostic> = Vec::new();
    for flow in f
        .def
        .body
        .flows
        .iter()
        .filter(|fl| fl.kind == FlowKind::WeakRng)
    {
        let target = flow.names.iter().find(|n| is_token_name(n));
        let Some(target) = target.or(function_makes_secret.then_some(&f.def.name)) else {
            continue;
        };
        if out.iter().any(|d| d.span == flow.span) {
            continue;
        }
        let rng = flow.callee.join("::");
        out.push(
            Diagnostic::new(&InsecureRandom::META, f.file, flow.span, message(&rng, target))
                .with_help("use a cryptographically secure generator: `rand::thread_rng()`, `OsRng` or `getrandom`"),
        );
    }
    out
}

fn message(rng: &str, target: &str) -> String {
    format!("`{target}` is made with the non-cryptographic RNG `{rng}`")
}
