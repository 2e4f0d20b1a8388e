//! The same project read from disk, from memory and from a git commit gives
//! the same findings: paths, positions, messages and fingerprints.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use backend_check_core::{FileSystem, Overlay, Sources};
use backend_check_engine::{fingerprint, Engine, GitTree, Session};

/// The demo service that ships in `fixtures/`: a spec, migrations and a crate.
fn demo() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo-service");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    assert!(files.len() >= 10, "the demo service has its files");
    files
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            files.push((relative, std::fs::read(&path).unwrap()));
        }
    }
}

fn write_all(dir: &Path, files: &[(PathBuf, Vec<u8>)]) {
    for (relative, bytes) in files {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Every finding as a line: position, rule, message, help, labels, fingerprint.
fn findings(cwd: &Path, sources: Arc<dyn Sources>, paths: &[&str]) -> Vec<String> {
    let session = Session {
        cwd: cwd.to_path_buf(),
        paths: paths.iter().map(PathBuf::from).collect(),
        select: Some(vec!["ALL".to_owned()]),
        sources,
        ..Session::default()
    };
    let report = Engine::new().check(&session).expect("the run succeeds");
    let prints = fingerprint::fingerprints(&report.diagnostics);
    report
        .diagnostics
        .iter()
        .zip(prints)
        .map(|(d, print)| {
            let start = d.start();
            let labels: Vec<String> = d
                .labels
                .iter()
                .map(|l| format!("{:?}={}", l.span, l.message))
                .collect();
            format!(
                "{}:{}:{} {} {:?} {} | {:?} | {labels:?} | {print}",
                d.file.display_path(),
                start.line,
                start.column,
                d.rule.code,
                d.span,
                d.message,
                d.help,
            )
        })
        .collect()
}

fn on_disk(files: &[(PathBuf, Vec<u8>)], paths: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), files);
    findings(dir.path(), Arc::new(FileSystem), paths)
}

#[test]
fn an_overlay_in_memory_gives_the_findings_of_the_files_on_disk() {
    let files = demo();
    let expected = on_disk(&files, &[]);
    assert!(
        expected.iter().any(|f| f.contains(" OAS"))
            && expected.iter().any(|f| f.contains(" SQL"))
            && expected.iter().any(|f| f.contains(" RS")),
        "all three analyzers have findings on the demo: {expected:#?}"
    );

    // Nothing on disk: every file is an unsaved buffer.
    let empty = tempfile::tempdir().unwrap();
    let mut overlay = Overlay::new(Arc::new(FileSystem));
    for (relative, bytes) in &files {
        overlay.insert(empty.path().join(relative), bytes.clone());
    }
    let overlay: Arc<dyn Sources> = Arc::new(overlay);
    assert_eq!(findings(empty.path(), overlay.clone(), &[]), expected);

    // Files named on the command line (as pre-commit does) read their context from memory too.
    let named = [
        "migrations/20240410000000_refunds.sql",
        "src/handlers/users.rs",
    ];
    assert_eq!(
        findings(empty.path(), overlay, &named),
        on_disk(&files, &named)
    );
}

#[test]
fn an_overlay_shadows_the_file_beneath() {
    let files = demo();
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), &files);
    let spec = "openapi.yaml";
    let before = findings(dir.path(), Arc::new(FileSystem), &[]);
    assert!(before.iter().any(|f| f.starts_with(spec)));

    // An unsaved edit that empties the spec's paths: its operation findings go,
    // the files on disk are untouched.
    let original = std::fs::read_to_string(dir.path().join(spec)).unwrap();
    let edited = "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths: {}\n";
    let mut overlay = Overlay::new(Arc::new(FileSystem));
    overlay.insert(dir.path().join(spec), edited);
    let after = findings(dir.path(), Arc::new(overlay), &[]);
    let mut edited_files = files.clone();
    edited_files
        .iter_mut()
        .find(|(p, _)| p == Path::new(spec))
        .unwrap()
        .1 = edited.as_bytes().to_vec();
    assert_eq!(after, on_disk(&edited_files, &[]));
    assert_ne!(after, before);
    assert_eq!(
        std::fs::read_to_string(dir.path().join(spec)).unwrap(),
        original
    );
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_git_commit_gives_the_findings_of_its_checkout() {
    let files = demo();
    let expected = on_disk(&files, &[]);

    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), &files);
    // Ignored and hidden files are left out of the walk in both cases.
    std::fs::write(dir.path().join(".gitignore"), "generated/\n").unwrap();
    write_all(
        dir.path(),
        &[(
            PathBuf::from("generated/openapi.yaml"),
            b"openapi: 3.0.3\ninfo: {title: g}\npaths: {}\n".to_vec(),
        )],
    );
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A", "-f"]);
    git(dir.path(), &["commit", "-q", "-m", "demo"]);

    // The work tree moves on: a migration deleted, the spec rewritten, a file added.
    std::fs::remove_file(dir.path().join("migrations/20240410000000_refunds.sql")).unwrap();
    std::fs::write(dir.path().join("openapi.yaml"), "openapi: 3.0.3\n").unwrap();
    std::fs::write(dir.path().join("src/extra.rs"), "fn main() {}\n").unwrap();
    let moved_on = findings(dir.path(), Arc::new(FileSystem), &[]);
    assert_ne!(moved_on, expected);

    // The commit still reads as it was, with the paths of the work tree.
    let tree = GitTree::open(dir.path(), "HEAD").expect("the repository opens");
    assert_eq!(tree.mount(), dir.path());
    let tree: Arc<dyn Sources> = Arc::new(tree);
    assert_eq!(findings(dir.path(), tree.clone(), &[]), expected);
    assert!(tree.is_file(&dir.path().join("migrations/20240410000000_refunds.sql")));
    assert!(!tree.exists(&dir.path().join("src/extra.rs")));
    assert!(tree.is_dir(&dir.path().join("src/handlers")));

    // And a named file of the commit, with its context.
    let named = ["migrations/20240410000000_refunds.sql"];
    assert_eq!(findings(dir.path(), tree, &named), on_disk(&files, &named));

    // A revision that does not exist is an error, not a panic.
    let error = GitTree::open(dir.path(), "no-such-branch").unwrap_err();
    assert!(error.to_string().contains("no-such-branch"), "{error}");
}

#[test]
fn the_manifest_beside_the_migrations_is_read_from_the_overlay_too() {
    // The dialect of a set comes from the crate's sqlx features: a MySQL set
    // has no CONCURRENTLY to ask for, a PostgreSQL one does (SQL001).
    let files = |features: &str| -> Vec<(PathBuf, Vec<u8>)> {
        vec![
            (
                PathBuf::from("Cargo.toml"),
                format!("[package]\nname = \"svc\"\nversion = \"0.1.0\"\n\n[dependencies]\nsqlx = {{ version = \"0.8\", features = [\"{features}\"] }}\n").into_bytes(),
            ),
            (
                PathBuf::from("migrations/20240101000000_users.sql"),
                b"CREATE TABLE users (id bigint PRIMARY KEY, email text);\n".to_vec(),
            ),
            (
                PathBuf::from("migrations/20240102000000_email.sql"),
                b"CREATE INDEX users_email ON users (email);\n".to_vec(),
            ),
        ]
    };
    for (features, fires) in [("postgres", true), ("mysql", false)] {
        let files = files(features);
        let disk = on_disk(&files, &[]);
        let empty = tempfile::tempdir().unwrap();
        let mut overlay = Overlay::new(Arc::new(FileSystem));
        for (relative, bytes) in &files {
            overlay.insert(empty.path().join(relative), bytes.clone());
        }
        let memory = findings(empty.path(), Arc::new(overlay), &[]);
        assert_eq!(memory, disk, "{features}");
        assert_eq!(
            memory.iter().any(|f| f.contains(" SQL001 ")),
            fires,
            "{features}: {memory:#?}"
        );
    }
}
