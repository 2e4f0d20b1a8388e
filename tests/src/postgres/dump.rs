//! The server's catalog as [`Facts`], read from `pg_catalog` (objects of
//! extensions and of the system schemas left out, and the runner's own
//! bookkeeping table too).

use super::facts::{self, Facts};
use super::wire::Connection;

/// `schema.name`, or `name` in `public` (as the replay names it).
const QNAME: &str =
    "CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END";
const USER_SCHEMA: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";
const NOT_EXTENSION: &str = "NOT EXISTS (SELECT 1 FROM pg_depend d \
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')";

/// Reads the catalog of the connected database; `excluded` names tables of
/// `public` to leave out (the runner's bookkeeping table).
pub fn server_facts(connection: &mut Connection, excluded: &[&str]) -> Result<Facts, String> {
    let not_excluded = if excluded.is_empty() {
        "true".to_owned()
    } else {
        let names: Vec<String> = excluded.iter().map(|n| format!("'{n}'")).collect();
        format!(
            "NOT (n.nspname = 'public' AND c.relname IN ({}))",
            names.join(", ")
        )
    };
    let relation_filter = format!("{USER_SCHEMA} AND {NOT_EXTENSION} AND {not_excluded}");
    let mut out = Facts::new();
    relations(connection, &relation_filter, &mut out)?;
    columns(connection, &relation_filter, &mut out)?;
    constraints(connection, &relation_filter, &mut out)?;
    indexes(connection, &relation_filter, &mut out)?;
    types(connection, &mut out)?;
    functions(connection, &mut out)?;
    triggers(connection, &relation_filter, &mut out)?;
    policies(connection, &relation_filter, &mut out)?;
    Ok(out)
}

fn text(row: &[Option<String>], at: usize) -> String {
    row.get(at).cloned().flatten().unwrap_or_default()
}

fn flag(row: &[Option<String>], at: usize) -> bool {
    text(row, at) == "true"
}

fn relations(c: &mut Connection, filter: &str, out: &mut Facts) -> Result<(), String> {
    let sql = format!(
        "SELECT {QNAME}, c.relkind::text, c.relrowsecurity::text FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND {filter}"
    );
    for row in c.rows(&sql)? {
        let name = text(&row, 0);
        let (key, value) = match text(&row, 1).as_str() {
            "v" => (format!("view {name}"), "view".to_owned()),
            "S" => (format!("sequence {name}"), "sequence".to_owned()),
            "m" => (
                format!("table {name}"),
                facts::relation_text("materialized view", flag(&row, 2)),
            ),
            _ => (
                format!("table {name}"),
                facts::relation_text("table", flag(&row, 2)),
            ),
        };
        out.insert(key, value);
    }
    Ok(())
}

fn columns(c: &mut Connection, filter: &str, out: &mut Facts) -> Result<(), String> {
    let sql = format!(
        "SELECT {QNAME}, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text, \
         pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, a.attgenerated::text \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
         WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'm') AND {filter}"
    );
    for row in c.rows(&sql)? {
        let default = row.get(4).cloned().flatten();
        let generated = !text(&row, 6).is_empty();
        let mut identity = !text(&row, 5).is_empty();
        let default = match default {
            _ if generated => None,
            Some(d) if facts::is_nextval(&d) => {
                identity = true;
                None
            }
            // `DEFAULT NULL` is stored as no default, except where the
            // null needs a coercion (`NULL::character varying` for a
            // varchar): that is no default either. (The replay must not
            // record one: rules read "has a default".)
            Some(d) if facts::canon_expr(&d) == "null" => None,
            other => other,
        };
        out.insert(
            format!("column {}.{}", text(&row, 0), text(&row, 1)),
            facts::column_text(
                &text(&row, 2),
                !flag(&row, 3),
                identity,
                default.as_deref(),
                generated,
            ),
        );
    }
    Ok(())
}

fn constraints(c: &mut Connection, filter: &str, out: &mut Facts) -> Result<(), String> {
    let cols = |key: &str, rel: &str| {
        format!(
            "(SELECT string_agg(a.attname, ', ' ORDER BY k.o) \
             FROM unnest(con.{key}) WITH ORDINALITY AS k(n, o) \
             JOIN pg_attribute a ON a.attrelid = con.{rel} AND a.attnum = k.n)"
        )
    };
    let sql = format!(
        "SELECT {QNAME}, con.conname, con.contype::text, {}, \
         (SELECT CASE WHEN fn.nspname = 'public' THEN fc.relname ELSE fn.nspname || '.' || fc.relname END \
          FROM pg_class fc JOIN pg_namespace fn ON fn.oid = fc.relnamespace WHERE fc.oid = con.confrelid), \
         {}, con.confdeltype::text \
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND {filter}",
        cols("conkey", "conrelid"),
        cols("confkey", "confrelid")
    );
    for row in c.rows(&sql)? {
        let columns = text(&row, 3);
        let value = match text(&row, 2).as_str() {
            "p" => format!("primary key ({columns})"),
            "u" => format!("unique ({columns})"),
            "c" => "check".to_owned(),
            "x" => "exclude".to_owned(),
            _ => {
                let on_delete = match text(&row, 6).as_str() {
                    "r" => "restrict",
                    "c" => "cascade",
                    "n" => "set null",
                    "d" => "set default",
                    _ => "no action",
                };
                facts::foreign_key_text(&columns, &text(&row, 4), &text(&row, 5), on_delete)
            }
        };
        out.insert(
            format!("constraint {}.{}", text(&row, 0), text(&row, 1)),
            value,
        );
    }
    Ok(())
}

fn indexes(c: &mut Connection, filter: &str, out: &mut Facts) -> Result<(), String> {
    let sql = format!(
        "SELECT ic.relname, {QNAME}, i.indisunique::text, (i.indpred IS NOT NULL)::text, am.amname, \
         (SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true), E'\\x1f' ORDER BY k) \
          FROM generate_series(1, i.indnkeyatts) AS k) \
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_am am ON am.oid = ic.relam \
         WHERE NOT EXISTS (SELECT 1 FROM pg_constraint con \
           WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')) AND {filter}"
    );
    for row in c.rows(&sql)? {
        let columns: Vec<String> = text(&row, 5)
            .split('\u{1f}')
            .map(facts::canon_expr)
            .collect();
        out.insert(
            format!("index {}", text(&row, 0)),
            facts::index_text(
                &text(&row, 1),
                flag(&row, 2),
                &text(&row, 4),
                &columns,
                flag(&row, 3),
            ),
        );
    }
    Ok(())
}

fn types(c: &mut Connection, out: &mut Facts) -> Result<(), String> {
    let sql = format!(
        "SELECT t.typname, t.typtype::text, \
         (SELECT string_agg(e.enumlabel, E'\\x1f' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), \
         format_type(t.typbasetype, t.typtypmod) \
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE {USER_SCHEMA} AND (t.typtype IN ('e', 'r', 'd') OR (t.typtype = 'c' AND EXISTS \
           (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))) \
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass \
           AND d.objid = t.oid AND d.deptype = 'e')"
    );
    for row in c.rows(&sql)? {
        let name = text(&row, 0);
        if text(&row, 1) == "d" {
            out.insert(format!("domain {name}"), facts::canon_type(&text(&row, 3)));
        } else {
            let labels: Vec<String> = row
                .get(2)
                .cloned()
                .flatten()
                .map(|l| l.split('\u{1f}').map(str::to_owned).collect())
                .unwrap_or_default();
            out.insert(format!("type {name}"), facts::type_text(&labels));
        }
    }
    Ok(())
}

fn functions(c: &mut Connection, out: &mut Facts) -> Result<(), String> {
    let sql = format!(
        "SELECT DISTINCT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE p.prokind IN ('f', 'p') AND {USER_SCHEMA} \
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass \
           AND d.objid = p.oid AND d.deptype = 'e')"
    );
    for row in c.rows(&sql)? {
        out.insert(format!("function {}", text(&row, 0)), "function".to_owned());
    }
    Ok(())
}

fn triggers(c: &mut Connection, filter: &str, out: &mut Facts) -> Result<(), String> {
    let sql = format!(
        "SELECT {QNAME}, t.tgname, p.proname FROM pg_trigger t \
         JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal AND {filter}"
    );
    for row in c.rows(&sql)? {
        out.insert(
            format!("trigger {}.{}", text(&row, 0), text(&row, 1)),
            facts::trigger_text(&text(&row, 2)),
        );
    }
    Ok(())
}

fn policies(c: &mut Connection, filter: &str, out: &mut Facts) -> Result<(), String> {
    let sql = format!(
        "SELECT {QNAME}, pol.polname, pol.polcmd::text FROM pg_policy pol \
         JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE {filter}"
    );
    for row in c.rows(&sql)? {
        let command = match text(&row, 2).as_str() {
            "r" => "select",
            "a" => "insert",
            "w" => "update",
            "d" => "delete",
            _ => "all",
        };
        out.insert(
            format!("policy {}.{}", text(&row, 0), text(&row, 1)),
            command.to_owned(),
        );
    }
    Ok(())
}
