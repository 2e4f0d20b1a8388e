//! A throwaway PostgreSQL cluster: `initdb` into a temporary folder, and a
//! server that listens only on a Unix socket in that folder (no TCP), stopped
//! and deleted when the [`Cluster`] is dropped.
//!
//! `initdb` refuses to run as root; when the harness runs as root (as CI
//! does), the server programs run as the `postgres` user (`runuser -u
//! postgres --`) and the folder is handed to that user.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::wire::Connection;

/// The port number only names the socket file (`.s.PGSQL.5432`): the server
/// listens on no TCP address, and the socket sits in a folder of its own.
const PORT: u16 = 5432;

/// Why there is no cluster.
#[derive(Debug)]
pub enum StartError {
    /// PostgreSQL's server programs are not installed.
    NotInstalled(String),
    /// They are, and starting a cluster failed.
    Failed(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::NotInstalled(why) | StartError::Failed(why) => f.write_str(why),
        }
    }
}

/// A running throwaway server.
pub struct Cluster {
    bindir: PathBuf,
    dir: tempfile::TempDir,
    as_postgres: bool,
    databases: AtomicUsize,
    /// The server's version line (`PostgreSQL 15.…`).
    pub version: String,
}

impl Cluster {
    /// Finds the server programs, creates a cluster in a new temporary
    /// folder and starts it.
    pub fn start() -> Result<Cluster, StartError> {
        let bindir = find_bindir().ok_or_else(|| {
            StartError::NotInstalled(
                "PostgreSQL's server programs (initdb, pg_ctl) were not found: set PG_BINDIR, put \
                 them on PATH, or install them (`apt-get install -y postgresql`)"
                    .to_owned(),
            )
        })?;
        let as_postgres = running_as_root();
        let dir = tempfile::Builder::new()
            .prefix("backend-check-pg-")
            .tempdir()
            .map_err(|e| StartError::Failed(format!("cannot create a temporary folder: {e}")))?;
        if as_postgres {
            checked(
                Command::new("chown")
                    .arg("-R")
                    .arg("postgres:")
                    .arg(dir.path())
                    .output(),
                "chown the cluster folder to postgres",
            )
            .map_err(StartError::Failed)?;
        }
        let mut cluster = Cluster {
            bindir,
            dir,
            as_postgres,
            databases: AtomicUsize::new(0),
            version: String::new(),
        };
        cluster.init_and_start().map_err(StartError::Failed)?;
        let mut connection = cluster.connect("postgres").map_err(StartError::Failed)?;
        cluster.version = connection
            .rows("SELECT version()")
            .ok()
            .and_then(|rows| rows.into_iter().next())
            .and_then(|row| row.into_iter().next().flatten())
            .unwrap_or_default();
        Ok(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn program(&self, name: &str) -> Command {
        let path = self.bindir.join(name);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    fn init_and_start(&self) -> Result<(), String> {
        checked(
            self.program("initdb")
                .arg("-D")
                .arg(self.data())
                .args([
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync",
                ])
                .output(),
            "initdb",
        )?;
        let options = format!(
            "-c listen_addresses='' -k {} -p {PORT} -c fsync=off -c full_page_writes=off \
             -c synchronous_commit=off -c max_connections=20",
            self.dir.path().display()
        );
        checked(
            self.program("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .arg("-l")
                .arg(self.dir.path().join("server.log"))
                .args(["-w", "-t", "60", "-o", &options, "start"])
                .output(),
            "pg_ctl start",
        )
        .map_err(|e| format!("{e}\nserver log:\n{}", self.log()))
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// A connection to `database` as the superuser.
    pub fn connect(&self, database: &str) -> Result<Connection, String> {
        Connection::open(self.dir.path(), PORT, "postgres", database)
    }

    /// Creates a new empty database (from `template0`) and connects to it.
    pub fn fresh_database(&self) -> Result<Connection, String> {
        let number = self.databases.fetch_add(1, Ordering::Relaxed);
        let name = format!("set_{number}");
        let mut admin = self.connect("postgres")?;
        admin.rows(&format!("CREATE DATABASE {name} TEMPLATE template0"))?;
        self.connect(&name)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .program("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

/// `PG_BINDIR`, `pg_config --bindir`, the newest `/usr/lib/postgresql/*/bin`,
/// or `initdb` on PATH: the first folder that holds `initdb` and `pg_ctl`.
pub fn find_bindir() -> Option<PathBuf> {
    let has = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("PG_BINDIR").map(PathBuf::from) {
        return has(&dir).then_some(dir);
    }
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(dir) = from_pg_config.filter(|d| has(d)) {
        return Some(dir);
    }
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let major = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            Some((major, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has(dir))
        .collect();
    debian.sort();
    if let Some((_, dir)) = debian.pop() {
        return Some(dir);
    }
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|dir| has(dir))
}

/// Whether the effective user is root (from `/proc/self/status`, else `id -u`).
fn running_as_root() -> bool {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(line) = status.lines().find(|l| l.starts_with("Uid:")) {
            return line.split_whitespace().nth(2) == Some("0");
        }
    }
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn checked(output: std::io::Result<Output>, what: &str) -> Result<(), String> {
    match output {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )),
        Err(e) => Err(format!("{what} could not run: {e}")),
    }
}
