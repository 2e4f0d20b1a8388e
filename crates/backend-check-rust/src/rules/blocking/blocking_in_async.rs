use backend_check_core::{declare_rule, Diagnostic, Sink, Span};

use crate::rules::context::{Context, Function};

declare_rule! {
    /// ## What it does
    /// Finds blocking calls made on the async executor: in an `async fn`, an `async` block
    /// or an async closure, and not inside `tokio::task::spawn_blocking`,
    /// `tokio::task::block_in_place`, actix-web `web::block` or a `std::thread::spawn`
    /// closure. Reported calls:
    /// - `std::thread::sleep`;
    /// - `std::fs` functions and `std::fs::File` / `OpenOptions` operations;
    /// - `std::net` sockets (`TcpStream::connect`, `TcpListener::bind`, `UdpSocket::bind`);
    /// - `reqwest::blocking` clients and requests;
    /// - `std::process::Command` `.output()` / `.status()`;
    /// - `futures::executor::block_on` and `.block_on(…)` on a runtime or handle;
    /// - CPU-heavy password hashing: `bcrypt::hash` / `verify`, `scrypt`, `pbkdf2`,
    ///   `argon2` functions and `Argon2::hash_password` / `verify_password`.
    ///
    /// A synchronous function of the crate that is called directly from async code and
    /// itself makes one of these calls is reported at the call (one level deep), naming the
    /// blocking call inside it.
    ///
    /// Names are resolved through the file's `use` items, so `sleep(d)` after
    /// `use tokio::time::sleep;` is not reported. Test code is exempt, and so are async
    /// functions that are not handlers and whose names say they run once at startup
    /// (`main`, `run`, `build`, `new`, `app`, `router`, `launch*`, `start*`, `init*`,
    /// `setup*`, `bootstrap*`, `serve*`, `spawn_app*`, `*_main`): blocking there delays
    /// start-up but stalls no request. Only crates that serve requests (that register
    /// handlers) are checked: in a command-line tool, an `xtask` or a batch job, the one
    /// task that blocks has nothing to stall.
    ///
    /// ## Why is this bad?
    /// An async runtime runs many tasks on a few worker threads. A task that blocks a worker
    /// for 50 ms (a file read on a slow disk, a bcrypt hash at cost 12, a DNS lookup) stalls
    /// every other request scheduled on that thread: latency rises for all clients at once,
    /// and with a single-threaded runtime the whole server stops. `block_on` inside a
    /// runtime panics or deadlocks.
    ///
    /// ## Example
    /// ```rust
    /// async fn register(State(db): State<PgPool>, Json(form): Json<Register>) -> Result<StatusCode, AppError> {
    ///     let hash = bcrypt::hash(&form.password, 12)?;
    ///     let template = std::fs::read_to_string("templates/welcome.html")?;
    ///     save_user(&db, &form.email, &hash).await?;
    ///     send_welcome(&form.email, &template).await?;
    ///     Ok(StatusCode::CREATED)
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn register(State(db): State<PgPool>, Json(form): Json<Register>) -> Result<StatusCode, AppError> {
    ///     let password = form.password.clone();
    ///     let hash = tokio::task::spawn_blocking(move || bcrypt::hash(password, 12)).await??;
    ///     let template = tokio::fs::read_to_string("templates/welcome.html").await?;
    ///     save_user(&db, &form.email, &hash).await?;
    ///     send_welcome(&form.email, &template).await?;
    ///     Ok(StatusCode::CREATED)
    /// }
    /// ```
    ///
    /// ## Options
    /// None. A call known to be fast (a read from a RAM disk) can be accepted with
    /// `// backend-check: allow(RS003) reason` on the line.
    pub BlockingInAsync {
        code: "RS003",
        name: "blocking-in-async",
        checklist: ApBlocking,
        group: Nursery,
        severity: Warning,
        summary: "blocking call on the async executor",
    }
}

/// What to use instead, per kind of blocking call.
#[derive(Clone, Copy)]
enum Kind {
    Sleep,
    File,
    Net,
    Http,
    Process,
    BlockOn,
    Hash,
}

impl Kind {
    fn help(self) -> &'static str {
        match self {
            Kind::Sleep => "use `tokio::time::sleep(…).await` (or your runtime's timer)",
            Kind::File => "use `tokio::fs` (or `async_std::fs`), or move the work into `tokio::task::spawn_blocking`",
            Kind::Net => "use `tokio::net` sockets, or move the work into `tokio::task::spawn_blocking`",
            Kind::Http => "use the async `reqwest::Client` and `.await` the request",
            Kind::Process => "use `tokio::process::Command` and `.await` its output",
            Kind::BlockOn => "`.await` the future instead of blocking on it; a runtime cannot block on itself",
            Kind::Hash => "run the hash in `tokio::task::spawn_blocking` (or `web::block` in actix-web)",
        }
    }
}

impl BlockingInAsync {
    /// Reports blocking calls in async code.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        let servers: std::collections::HashSet<usize> = ctx
            .handlers
            .iter()
            .map(|h| ctx.model.crate_of(h.function.file))
            .collect();
        ctx.each_function(&Self::META, sink, |f| {
            if servers.contains(&ctx.model.crate_of(f.id.file)) {
                Self::findings(ctx, f)
            } else {
                Vec::new()
            }
        })
    }

    fn findings(ctx: &Context<'_>, f: &Function<'_>) -> Vec<Diagnostic> {
        if f.handler.is_none() && is_startup(&f.def.name) {
            return Vec::new();
        }
        let mut found: Vec<(Span, String, Kind)> = Vec::new();
        for call in f.def.body.calls.iter().filter(|c| c.in_async) {
            let full = ctx.model.expand_path(f.id.file, f.def.scope, &call.path);
            if let Some(kind) = blocking_path(&full) {
                found.push((call.span, format!("{}`", full.join("::")), kind));
            }
        }
        for call in f.def.body.calls.iter().filter(|c| c.in_async) {
            if let Some((callee, inner, kind)) = blocking_helper(ctx, f, &call.path) {
                found.push((call.span, format!("{callee}` (it calls `{inner}`)"), kind));
            }
        }
        for call in f.def.body.method_calls.iter().filter(|c| c.in_async) {
            let root = call
                .receiver_path
                .as_ref()
                .map(|p| ctx.model.expand_path(f.id.file, f.def.scope, p))
                .unwrap_or_default();
            if let Some(kind) = blocking_method(&call.method, &root) {
                found.push((call.span, format!(".{}()`", call.method), kind));
            }
        }
        found
            .into_iter()
            .map(|(span, name, kind)| {
                Diagnostic::new(&Self::META, f.file, span, message(&name, f)).with_help(kind.help())
            })
            .collect()
    }
}

/// Whether a function name says it runs once at startup (`main`, `run`,
/// `build`, `launch_server`, `init_db`…), where blocking stalls no request.
fn is_startup(name: &str) -> bool {
    let prefixes = [
        "launch",
        "start",
        "init",
        "setup",
        "bootstrap",
        "spawn_app",
        "serve",
    ];
    matches!(name, "main" | "run" | "build" | "new" | "app" | "router")
        || name.ends_with("_main")
        || prefixes.iter().any(|p| name.starts_with(p))
}

fn message(name: &str, f: &Function<'_>) -> String {
    match f.handler {
        Some(_) if f.def.is_closure => {
            format!("blocking call `{name} in an async request handler closure")
        }
        Some(_) => format!(
            "blocking call `{name} in async request handler `{}`",
            f.def.name
        ),
        None if f.def.is_async => {
            format!("blocking call `{name} in async function `{}`", f.def.name)
        }
        None => format!(
            "blocking call `{name} in an async block of `{}`",
            f.def.name
        ),
    }
}

/// A synchronous crate function called directly from async code whose own
/// body makes a blocking call (one level): its name, that call and its kind.
fn blocking_helper(
    ctx: &Context<'_>,
    f: &Function<'_>,
    path: &[String],
) -> Option<(String, String, Kind)> {
    let id = ctx
        .model
        .resolve(f.id.file, f.def.scope, path, f.def.self_type.as_deref())?;
    let def = ctx.model.function(id)?;
    if def.is_async || def.is_closure || ctx.model.is_test_code(id) || id == f.id {
        return None;
    }
    def.body.calls.iter().find_map(|inner| {
        let full = ctx.model.expand_path(id.file, def.scope, &inner.path);
        let kind = blocking_path(&full)?;
        Some((def.name.clone(), full.join("::"), kind))
    })
}

fn starts(path: &[String], prefix: &[&str]) -> bool {
    path.len() >= prefix.len() && path.iter().zip(prefix).all(|(a, b)| a == b)
}

/// The kind of a blocking function, by its full path.
fn blocking_path(path: &[String]) -> Option<Kind> {
    let last = path.last().map_or("", String::as_str);
    if starts(path, &["std", "thread", "sleep"]) {
        return Some(Kind::Sleep);
    }
    if starts(path, &["std", "fs"]) && path.len() >= 3 {
        return Some(Kind::File);
    }
    let net_types = ["TcpStream", "TcpListener", "UdpSocket"];
    if starts(path, &["std", "net"])
        && path.get(2).is_some_and(|t| net_types.contains(&t.as_str()))
        && matches!(last, "connect" | "bind" | "connect_timeout")
    {
        return Some(Kind::Net);
    }
    if starts(path, &["reqwest", "blocking"]) && path.len() >= 3 {
        return Some(Kind::Http);
    }
    if starts(path, &["futures", "executor", "block_on"]) {
        return Some(Kind::BlockOn);
    }
    let hashing = match path.first().map(String::as_str) {
        Some("bcrypt") => matches!(
            last,
            "hash" | "verify" | "hash_with_result" | "hash_with_salt"
        ),
        Some("scrypt") => matches!(last, "scrypt" | "scrypt_simple" | "scrypt_check"),
        Some("pbkdf2") => last.starts_with("pbkdf2"),
        Some("argon2") => matches!(last, "hash_encoded" | "verify_encoded" | "hash_raw"),
        _ => false,
    };
    hashing.then_some(Kind::Hash)
}

/// The kind of a blocking method call, by its name and the full path at the root of its receiver.
fn blocking_method(method: &str, root: &[String]) -> Option<Kind> {
    match method {
        "output" | "status" if starts(root, &["std", "process", "Command"]) => Some(Kind::Process),
        "block_on" => Some(Kind::BlockOn),
        "hash_password" | "verify_password" | "hash_password_into" => {
            let hasher = root.iter().any(|seg| {
                let lower = seg.to_ascii_lowercase();
                lower.contains("argon2") || lower.contains("scrypt") || lower.contains("pbkdf2")
            });
            hasher.then_some(Kind::Hash)
        }
        _ => None,
    }
}
