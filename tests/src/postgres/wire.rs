//! A minimal PostgreSQL client: the startup message with trust
//! authentication and the simple query protocol, over a Unix socket. It is
//! all the differential harness needs (one query per script, as the runners
//! send them, and text rows for the catalog dump), with no dependency.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

/// A connection to one database.
pub struct Connection {
    stream: UnixStream,
}

/// What one simple query returned.
#[derive(Debug, Default)]
pub struct Reply {
    /// The rows of every result set, in order (text format; `None` is NULL).
    pub rows: Vec<Vec<Option<String>>>,
    /// The server's error, as `SQLSTATE: message`, when the query failed.
    pub error: Option<String>,
    /// Whether the server answered "empty query" (a string with no statement).
    pub empty: bool,
    /// The transaction status after the query: `I` idle, `T` in a
    /// transaction, `E` in a failed transaction.
    pub status: u8,
}

impl Connection {
    /// Connects as `user` to `database` through the socket in `socket_dir`
    /// (`.s.PGSQL.<port>`); the server must trust local connections.
    pub fn open(
        socket_dir: &Path,
        port: u16,
        user: &str,
        database: &str,
    ) -> Result<Connection, String> {
        let path = socket_dir.join(format!(".s.PGSQL.{port}"));
        let stream = UnixStream::connect(&path)
            .map_err(|e| format!("cannot connect to {}: {e}", path.display()))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .map_err(|e| e.to_string())?;
        let mut connection = Connection { stream };
        let mut body = Vec::new();
        body.extend_from_slice(&196_608_i32.to_be_bytes());
        for (key, value) in [
            ("user", user),
            ("database", database),
            ("client_encoding", "UTF8"),
        ] {
            body.extend_from_slice(key.as_bytes());
            body.push(0);
            body.extend_from_slice(value.as_bytes());
            body.push(0);
        }
        body.push(0);
        let mut message = Vec::with_capacity(body.len() + 4);
        message.extend_from_slice(&len_prefix(body.len())?);
        message.extend_from_slice(&body);
        connection.write(&message)?;
        loop {
            let (tag, payload) = connection.read_message()?;
            match tag {
                b'R' => {
                    let code = payload
                        .get(..4)
                        .map_or(-1, |b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]));
                    if code != 0 {
                        return Err(format!(
                            "the server asks for authentication (code {code}); the harness needs `trust`"
                        ));
                    }
                }
                b'E' => return Err(error_text(&payload)),
                b'Z' => return Ok(connection),
                _ => {}
            }
        }
    }

    /// Sends `sql` as one simple query (several statements are one implicit
    /// transaction unless they hold their own `BEGIN`/`COMMIT`) and reads the
    /// reply up to ReadyForQuery. An I/O failure is an `Err`; an SQL error is
    /// in [`Reply::error`].
    pub fn query(&mut self, sql: &str) -> Result<Reply, String> {
        let text = sql.replace('\0', "");
        let mut message = Vec::with_capacity(text.len() + 6);
        message.push(b'Q');
        message.extend_from_slice(&len_prefix(text.len() + 1)?);
        message.extend_from_slice(text.as_bytes());
        message.push(0);
        self.write(&message)?;
        let mut reply = Reply::default();
        loop {
            let (tag, payload) = self.read_message()?;
            match tag {
                b'D' => reply.rows.push(data_row(&payload)?),
                b'E' if reply.error.is_none() => reply.error = Some(error_text(&payload)),
                b'I' => reply.empty = true,
                b'G' => {
                    // COPY … FROM STDIN: there is no client data to send.
                    let reason = b"the harness sends no COPY data\0";
                    let mut fail = vec![b'f'];
                    fail.extend_from_slice(&len_prefix(reason.len())?);
                    fail.extend_from_slice(reason);
                    self.write(&fail)?;
                }
                b'Z' => {
                    reply.status = payload.first().copied().unwrap_or(b'I');
                    return Ok(reply);
                }
                _ => {}
            }
        }
    }

    /// Runs a query that must succeed and returns its rows.
    pub fn rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
        let reply = self.query(sql)?;
        match reply.error {
            Some(error) => Err(format!("{error}\nin query: {sql}")),
            None => Ok(reply.rows),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.stream
            .write_all(bytes)
            .map_err(|e| format!("writing to the server: {e}"))
    }

    fn read_message(&mut self) -> Result<(u8, Vec<u8>), String> {
        let mut head = [0_u8; 5];
        self.stream
            .read_exact(&mut head)
            .map_err(|e| format!("reading from the server: {e}"))?;
        let length = i32::from_be_bytes([head[1], head[2], head[3], head[4]]);
        let size = usize::try_from(length)
            .ok()
            .and_then(|l| l.checked_sub(4))
            .ok_or_else(|| format!("bad message length {length}"))?;
        let mut payload = vec![0_u8; size];
        self.stream
            .read_exact(&mut payload)
            .map_err(|e| format!("reading from the server: {e}"))?;
        Ok((head[0], payload))
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        // Terminate; the server closes the session.
        let _ = self.stream.write_all(&[b'X', 0, 0, 0, 4]);
    }
}

/// The Int32 length field of a message whose body is `body` bytes.
fn len_prefix(body: usize) -> Result<[u8; 4], String> {
    i32::try_from(body + 4)
        .map(i32::to_be_bytes)
        .map_err(|_| format!("message of {body} bytes is too long"))
}

fn data_row(payload: &[u8]) -> Result<Vec<Option<String>>, String> {
    let short = || "truncated data row".to_owned();
    let count = payload
        .get(..2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(short)?;
    let mut at = 2;
    let mut values = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        let bytes = payload.get(at..at + 4).ok_or_else(short)?;
        let length = i32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        at += 4;
        if length < 0 {
            values.push(None);
            continue;
        }
        let end = at + usize::try_from(length).map_err(|_| short())?;
        let value = payload.get(at..end).ok_or_else(short)?;
        values.push(Some(String::from_utf8_lossy(value).into_owned()));
        at = end;
    }
    Ok(values)
}

/// `SQLSTATE: message` of an ErrorResponse.
fn error_text(payload: &[u8]) -> String {
    let mut code = String::new();
    let mut message = String::new();
    for field in payload.split(|b| *b == 0) {
        let Some((&kind, value)) = field.split_first() else {
            continue;
        };
        let value = String::from_utf8_lossy(value).into_owned();
        match kind {
            b'C' => code = value,
            b'M' => message = value,
            _ => {}
        }
    }
    format!("{code}: {message}")
}
