//! The portal's REST methods over the in-memory CRM, and `batch` with `$result[…]` references
//! resolved the way the portal's PHP resolves them.

use serde_json::{json, Map, Value};

use crate::crm::{id_of, Crm, Kind};
use crate::params::{parse_query, Param};
use crate::outcome::{Answer, Fail, Fault, Outcome, Policy};
use crate::writes;

/// The portal's limit on commands in one batch.
pub const BATCH_MAX_LENGTH: usize = 50;

/// The scopes the sandbox's app is installed with unless a scenario says otherwise.
pub const APP_SCOPES: &[&str] = &["crm", "placement", "telephony", "user_brief"];

/// The scope a method needs.
fn scope_of(method: &str) -> Option<&'static str> {
    let family = method.split('.').next().unwrap_or_default();
    match family {
        "crm" => Some("crm"),
        "user" if method != "user.current" && method != "user.admin" => Some("user"),
        "placement" => Some("placement"),
        "telephony" => Some("telephony"),
        _ => None,
    }
}

/// Calls one method (not `batch`) by its case-insensitive name, under the policy.
pub fn call(crm: &mut Crm, method: &str, params: &Param, policy: Policy) -> Outcome {
    let lower = method.to_ascii_lowercase();
    let forced = policy.faults.iter().find_map(|f| match f {
        Fault::Error { method, status, code, description } if *method == lower || *method == "*" => {
            Some(Fail::new(*status, code, description))
        }
        Fault::Fatal { method } if *method == lower => Some(Fail::php_type_error("a failure the scenario arranged")),
        _ => None,
    });
    if let Some(fail) = forced {
        return Err(fail);
    }
    if let (Some(scopes), Some(needed)) = (policy.scopes, scope_of(&lower)) {
        // `user_brief` is enough to read users.
        let has = scopes.contains(&needed) || (needed == "user" && scopes.contains(&"user_brief"));
        if !has {
            return Err(Fail::new(403, "insufficient_scope", "The request requires higher privileges than provided by the access token"));
        }
    }
    if lower.starts_with("placement.") && !policy.admin {
        return Err(Fail::new(403, "ACCESS_DENIED", "Access denied! Admin permissions required"));
    }
    // A placement also needs the scope of the place it goes into: the call card, telephony.
    let call_card = params.get_ci("PLACEMENT").and_then(Param::as_str).is_some_and(|p| p.eq_ignore_ascii_case("CALL_CARD"));
    if matches!(lower.as_str(), "placement.bind" | "placement.unbind") && call_card && policy.scopes.is_some_and(|s| !s.contains(&"telephony")) {
        return Err(Fail::new(403, "insufficient_scope", "The request requires higher privileges than provided by the access token"));
    }
    match lower.as_str() {
        "crm.duplicate.findbycomm" => find_by_comm(crm, params),
        "crm.contact.get" => get(crm, Kind::Contact, params),
        "crm.company.get" => get(crm, Kind::Company, params),
        "crm.lead.get" => get(crm, Kind::Lead, params),
        "crm.deal.get" => get(crm, Kind::Deal, params),
        "crm.contact.list" => list(crm, Kind::Contact, params),
        "crm.company.list" => list(crm, Kind::Company, params),
        "crm.lead.list" => list(crm, Kind::Lead, params),
        "crm.deal.list" => list(crm, Kind::Deal, params),
        "crm.status.list" => status_list(crm, params),
        "crm.activity.list" => list(crm, Kind::Activity, params),
        "crm.timeline.comment.list" => list(crm, Kind::Comment, params),
        "user.get" => user_get(crm, params),
        "crm.contact.add" => writes::add_record(crm, Kind::Contact, params),
        "crm.company.add" => writes::add_record(crm, Kind::Company, params),
        "crm.lead.add" => writes::add_record(crm, Kind::Lead, params),
        "crm.deal.add" => writes::add_deal(crm, params),
        "crm.activity.add" => writes::add_activity(crm, params),
        "crm.contact.update" => writes::update_record(crm, Kind::Contact, params),
        "crm.company.update" => writes::update_record(crm, Kind::Company, params),
        "crm.lead.update" => writes::update_record(crm, Kind::Lead, params),
        "crm.timeline.comment.add" => writes::add_comment(crm, params),
        "placement.bind" => writes::bind(crm, params),
        "placement.unbind" => writes::unbind(crm, params),
        "placement.get" => writes::placements(crm),
        // Scopes and rights need none themselves.
        "scope" => Ok(Answer::of(json!(policy.scopes.unwrap_or(APP_SCOPES)))),
        "user.admin" => Ok(Answer::of(json!(policy.admin))),
        "telephony.externalcall.register" => writes::register_call(crm, params),
        "telephony.externalcall.searchcrmentities" => writes::search_crm_entities(crm, params),
        "user.current" => crm
            .get(Kind::User, 1)
            .map(|u| Answer::of(u.clone()))
            .ok_or_else(|| Fail::new(401, "NO_AUTH_FOUND", "Wrong authorization data")),
        "batch" => Err(Fail::new(400, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage")),
        _ => Err(Fail::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")),
    }
}

/// `crm.status.list {filter, order}` as `CCrmStatusRestProxy::innerGetList` and
/// `CCrmStatus::GetList` (crm's `classes/general/restservice.php`, `classes/general/crm_status.php`)
/// answer it: every status of every directory unless filtered, never paged (`navigation` is not
/// supported, docs `crm/status/crm-status-list`); filter keys compared for equality only (no
/// operators: a key with one is not in the switch and is ignored, as is any unknown key); empty
/// values skipped; `ID`, `ENTITY_ID`, `STATUS_ID`, `SORT`, `SEMANTICS` go through `ForSql`
/// (`mysqli_real_escape_string`), so an array there is a PHP 8 `TypeError`: HTTP 500 for the
/// whole request, batch included. `CATEGORY_ID` is cast with `(int)`. Default order `SORT` ASC.
fn status_list(crm: &Crm, params: &Param) -> Outcome {
    let mut conditions: Vec<(String, String)> = Vec::new();
    if let Some(Param::Map(filter)) = params.get_ci("filter") {
        for (key, value) in filter {
            let upper = key.to_ascii_uppercase();
            let scalar = match value {
                Param::Str(s) => s.clone(),
                Param::Map(_) => "Array".to_string(),
            };
            if scalar.is_empty() || scalar == "NOT_REF" {
                continue;
            }
            match upper.as_str() {
                "ID" | "ENTITY_ID" | "STATUS_ID" | "SORT" | "SEMANTICS" | "NAME" => {
                    if matches!(value, Param::Map(_)) {
                        return Err(Fail::php_type_error(&format!(
                            "mysqli_real_escape_string(): Argument #2 ($string) must be of type string, array given (filter {upper})"
                        )));
                    }
                    conditions.push((upper, scalar));
                }
                "CATEGORY_ID" => conditions.push((upper, value.intval().to_string())),
                "SYSTEM" => conditions.push((upper, if scalar == "Y" { "Y".into() } else { "N".into() })),
                _ => {}
            }
        }
    }
    let mut rows: Vec<&Value> = crm
        .all(Kind::Status)
        .iter()
        .filter(|r| conditions.iter().all(|(field, wanted)| compare(&field_text(r, field), wanted).is_eq()))
        .collect();
    let order: Vec<(String, bool)> = match params.get_ci("order") {
        Some(Param::Map(items)) if !items.is_empty() => items
            .iter()
            .map(|(k, v)| (k.to_ascii_uppercase(), v.as_str().is_some_and(|d| d.eq_ignore_ascii_case("ASC"))))
            .collect(),
        _ => vec![("SORT".into(), true)],
    };
    rows.sort_by(|a, b| {
        order
            .iter()
            .map(|(field, asc)| {
                let o = compare(&field_text(a, field), &field_text(b, field));
                if *asc { o } else { o.reverse() }
            })
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let total = rows.len() as u64;
    // The REST layer counts what it fetched (`setNavData`); there is never a next page. The total
    // itself is a guess: the proxy's CDBResult was never NavStart-ed.
    Ok(Answer { result: Value::Array(rows.into_iter().cloned().collect()), total: Some(total), next: None, processing: 0.0 })
}

/// `crm.*.get {id}`: the id goes through PHP's `intval`, so an array id reads as 1.
fn get(crm: &Crm, kind: Kind, params: &Param) -> Outcome {
    let id = params.get_ci("id").map(Param::intval).unwrap_or(0);
    if id <= 0 {
        return Err(Fail::new(400, "", "ID is not defined or invalid."));
    }
    crm.get(kind, id).map(|r| Answer::of(r.clone())).ok_or_else(|| Fail::new(400, "", "Not found"))
}

/// `crm.duplicate.findbycomm {type, values[], entity_type?}` → `{CONTACT: [ids], …}` with keys
/// only for kinds found, and `[]` (PHP's empty array) when nothing is.
fn find_by_comm(crm: &Crm, params: &Param) -> Outcome {
    let field = match params.get_ci("type").and_then(Param::as_str).map(str::to_ascii_uppercase).as_deref() {
        Some("PHONE") => "PHONE",
        Some("EMAIL") => "EMAIL",
        _ => return Err(Fail::new(400, "", "Communication type is not defined or not supported.")),
    };
    let values: Vec<String> = params
        .get_ci("values")
        .map(|v| v.values().into_iter().filter_map(Param::as_str).map(String::from).collect())
        .unwrap_or_default();
    if values.is_empty() {
        return Err(Fail::new(400, "", "Communication values are not defined."));
    }
    if values.len() > 20 {
        return Err(Fail::new(400, "", "Too many communication values (maximum is 20)."));
    }
    let only = params.get_ci("entity_type").and_then(Param::as_str).map(str::to_ascii_uppercase);
    let mut found = Map::new();
    for kind in [Kind::Lead, Kind::Contact, Kind::Company] {
        if only.as_deref().is_some_and(|o| o != kind.symbol()) {
            continue;
        }
        let ids = crm.find_by_comm(kind, field, &values);
        if !ids.is_empty() {
            found.insert(kind.symbol().into(), json!(ids));
        }
    }
    Ok(Answer::of(if found.is_empty() { json!([]) } else { Value::Object(found) }))
}

/// Lists page by this many records.
const PAGE: usize = 50;
/// Fields that list methods return only when `select` names them.
const MULTIFIELDS: &[&str] = &["PHONE", "EMAIL", "WEB", "IM"];

/// `crm.*.list {filter, order, select, start}` as the old CRM API answers it: arrays in a filter
/// mean "any of", keys may carry an operator (`=`, `!`, `@`, `>`, `>=`, `<`, `<=`), pages of 50
/// with `total` and `next`, and `start=-1` for one page without counting.
fn list(crm: &Crm, kind: Kind, params: &Param) -> Outcome {
    let all = crm.all(kind);
    let known = |field: &str| {
        all.iter().any(|r| r.as_object().is_some_and(|o| o.keys().any(|k| k.eq_ignore_ascii_case(field))))
    };
    let mut rows: Vec<&Value> = all.iter().filter(|r| matches_filter(r, params.get_ci("filter"), &known)).collect();
    if let Some(Param::Map(order)) = params.get_ci("order") {
        if let Some((field, dir)) = order.first() {
            let desc = dir.as_str().is_some_and(|d| d.eq_ignore_ascii_case("DESC"));
            rows.sort_by(|a, b| {
                let ord = compare(&field_text(a, field), &field_text(b, field));
                if desc { ord.reverse() } else { ord }
            });
        }
    }
    let start = params.get_ci("start").map(Param::intval).unwrap_or(0);
    let (offset, counted) = if start < 0 { (0, false) } else { (start as usize, true) };
    let total = rows.len();
    let page: Vec<Value> = rows.into_iter().skip(offset).take(PAGE).map(|r| select(r, params.get_ci("select"))).collect();
    Ok(Answer {
        result: Value::Array(page),
        total: counted.then_some(total as u64),
        next: (counted && offset + PAGE < total).then_some((offset + PAGE) as u64),
        processing: 0.0,
    })
}

fn field_text(record: &Value, field: &str) -> String {
    let value = record
        .as_object()
        .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(field)).map(|(_, v)| v));
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => if *b { "Y".into() } else { "N".into() },
        _ => String::new(),
    }
}

/// Numbers compare as numbers, everything else (ISO dates included) as text.
fn compare(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        _ => a.cmp(b),
    }
}

/// One filter value against a record's field as the portal's SQL compares them: a number field
/// (an id) takes the value's `intval` (CSQLWhere's `addIntFilter`; the ORM's `IntegerField`), so
/// `"5 "` is 5, a text 0 and an array 1 (0 when empty); other fields compare as text with
/// trailing blanks ignored (MySQL's PAD SPACE collations), numbers as numbers.
fn equal_as_sql(have: &str, wanted: &Param) -> bool {
    let is_integer = !have.is_empty() && have.bytes().all(|b| b.is_ascii_digit());
    match wanted {
        _ if is_integer => have.parse::<i64>().is_ok_and(|h| h == wanted.intval()),
        Param::Str(w) => compare(have, w.trim_end()).is_eq(),
        Param::Map(_) => false,
    }
}

/// A filter key names a field the records of the list have; the portal's list builders ignore
/// keys they do not know (CCrmEntityListBuilder passes only known fields to `CSQLWhere`), so the
/// sandbox ignores a key no record of the collection carries.
fn matches_filter(record: &Value, filter: Option<&Param>, known: &dyn Fn(&str) -> bool) -> bool {
    let Some(Param::Map(conditions)) = filter else { return true };
    conditions.iter().all(|(raw_key, wanted)| {
        let op_len = raw_key.find(|c: char| c.is_ascii_alphanumeric() || c == '_').unwrap_or(raw_key.len());
        let (op, field) = raw_key.split_at(op_len);
        if !known(field) {
            return true;
        }
        let have = field_text(record, field);
        // CSQLWhere (main's `classes/general/sqlwhere.php`): an array is "any of", each element
        // `intval`-ed for a number field, so a nested array (an unresolved `$result`
        // reference) reads as 1, or 0 when empty; an empty array is `1=0`.
        let any_equal = || match wanted {
            Param::Str(_) => equal_as_sql(&have, wanted),
            Param::Map(items) => items.iter().any(|(_, v)| equal_as_sql(&have, v)),
        };
        let first = || wanted.values().into_iter().find_map(Param::as_str).unwrap_or_default().to_string();
        match op {
            "" | "=" | "@" => any_equal(),
            // CSQLWhere's `S`: a substring, case-insensitive (`upper(FIELD) like '%VALUE%'`).
            "%" => have.to_lowercase().contains(&first().to_lowercase()),
            "!" | "!=" | "!@" => !any_equal(),
            ">" => compare(&have, &first()).is_gt(),
            ">=" => compare(&have, &first()).is_ge(),
            "<" => compare(&have, &first()).is_lt(),
            "<=" => compare(&have, &first()).is_le(),
            _ => false,
        }
    })
}

/// `select`: `ID` always; `*` or no select means every plain field; multifields only by name.
fn select(record: &Value, wanted: Option<&Param>) -> Value {
    let Some(obj) = record.as_object() else { return record.clone() };
    let names: Vec<String> = wanted
        .map(|w| w.values().into_iter().filter_map(Param::as_str).map(str::to_ascii_uppercase).collect())
        .unwrap_or_default();
    let all_plain = names.is_empty() || names.iter().any(|n| n == "*");
    Value::Object(
        obj.iter()
            .filter(|(k, _)| {
                let upper = k.to_ascii_uppercase();
                upper == "ID"
                    || names.contains(&upper)
                    || (all_plain && !MULTIFIELDS.contains(&upper.as_str()))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// `user.get {ID}` or `{FILTER: {ID}}` (rest's `classes/general/rest_user.php`, `userGet`). The
/// value is read as a scalar: `intval`, so `"5 "` is user 5 and a text is nobody. An array (an
/// unresolved `$result` reference) reaches `CUser::GetList`'s `GetFilterQuery("U.ID", $val)` (main's
/// `classes/mysql/user.php`), which string-processes it: a PHP 8 `TypeError` (inferred: the
/// newer ORM path's handling of nested arrays is not known either), so HTTP 500 here.
fn user_get(crm: &Crm, params: &Param) -> Outcome {
    let id = params.get_ci("ID").or_else(|| params.get_ci("FILTER").and_then(|f| f.get_ci("ID")));
    if let Some(Param::Map(_)) = id {
        return Err(Fail::php_type_error("GetFilterQuery(): an array given for the user ID filter"));
    }
    let wanted = id.map(|p| vec![p.intval()]);
    let users: Vec<Value> = crm
        .all(Kind::User)
        .iter()
        .filter(|u| wanted.as_ref().is_none_or(|ids| id_of(u).is_some_and(|id| ids.contains(&id))))
        .cloned()
        .collect();
    let total = users.len() as u64;
    Ok(Answer { result: Value::Array(users), total: Some(total), next: None, processing: 0.0 })
}

/// `batch {halt, cmd: {key: "method?query"}}`. Commands run in order; each may refer to earlier
/// results with `$result[key][FIELD]…` (also `$next`, `$total`, `$time`, `$error`).
pub fn batch(crm: &mut Crm, params: &Param, policy: Policy) -> Outcome {
    let halt = params.get_ci("halt").map(Param::intval).unwrap_or(0) != 0;
    let commands = match params.get_ci("cmd") {
        Some(Param::Map(items)) => items.clone(),
        _ => Vec::new(),
    };
    let mut sections: [(&str, Map<String, Value>); 5] =
        [("result", Map::new()), ("next", Map::new()), ("total", Map::new()), ("time", Map::new()), ("error", Map::new())];
    // Commands run one after the other after the request's own start-up: each one's `time`
    // starts where the previous one finished.
    let mut clock = crate::time::now() + policy.server_time.request_secs();
    let mut processing = 0.0;

    for (index, (key, command)) in commands.into_iter().enumerate() {
        let outcome = if index >= BATCH_MAX_LENGTH {
            Err(Fail::new(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded"))
        } else {
            let text = command.as_str().unwrap_or_default();
            let (method, query) = text.split_once('?').unwrap_or((text, ""));
            let resolved = resolve_references(&parse_query(query), &sections_view(&sections));
            let spent = policy.server_time.processing_secs(method);
            processing += spent;
            clock += spent;
            call(crm, method, &resolved, policy).map(|answer| Answer { processing: spent, ..answer })
        };
        if let Err(fail) = &outcome {
            if fail.fatal {
                return Err(fail.clone());
            }
        }
        let failed = outcome.is_err();
        match outcome {
            Ok(answer) => {
                sections[0].1.insert(key.clone(), answer.result);
                if let Some(next) = answer.next {
                    sections[1].1.insert(key.clone(), json!(next));
                }
                if let Some(total) = answer.total {
                    sections[2].1.insert(key.clone(), json!(total));
                }
                let spent = answer.processing;
                sections[3].1.insert(key.clone(), crate::server_time::block(clock - spent, spent, spent, 0.0, clock as i64 + 600));
            }
            Err(fail) => {
                sections[4].1.insert(key.clone(), fail.body());
            }
        }
        if failed && halt {
            break;
        }
    }

    let section = |m: &Map<String, Value>| if m.is_empty() { json!([]) } else { Value::Object(m.clone()) };
    let answer = Answer::of(json!({
        "result": section(&sections[0].1),
        "result_error": section(&sections[4].1),
        "result_total": section(&sections[2].1),
        "result_next": section(&sections[1].1),
        "result_time": section(&sections[3].1),
    }));
    Ok(Answer { processing, ..answer })
}

fn sections_view(sections: &[(&str, Map<String, Value>); 5]) -> Map<String, Value> {
    sections.iter().map(|(name, m)| (name.to_string(), Value::Object(m.clone()))).collect()
}

/// Replaces references in every value (not key) of the parameters.
fn resolve_references(params: &Param, results: &Map<String, Value>) -> Param {
    match params {
        Param::Map(items) => {
            Param::Map(items.iter().map(|(k, v)| (k.clone(), resolve_references(v, results))).collect())
        }
        Param::Str(s) => resolve_string(s, results),
    }
}

/// One value: `$name[seg][seg]…` up to the next whitespace (rest's `classes/general/rest_util.php`,
/// `processBatchElement`). The walk stops at the first segment that does not exist, keeping what
/// it reached. A reference that is the whole value is replaced by that value itself (an array
/// stays an array); inside a longer string, by its text when it reached a string or a number, and
/// not at all otherwise (an array, `true`: the reference stays in the text as it was written).
fn resolve_string(s: &str, results: &Map<String, Value>) -> Param {
    let mut out = s.to_string();
    let mut search_from = 0;
    while let Some(rel) = out[search_from..].find('$') {
        let start = search_from + rel;
        let rest = &out[start + 1..];
        let Some(name) = ["result", "next", "total", "time", "error"]
            .into_iter()
            .find(|n| rest.len() >= n.len() && rest[..n.len()].eq_ignore_ascii_case(n))
        else {
            search_from = start + 1;
            continue;
        };
        let end = start + 1 + rest.find(char::is_whitespace).unwrap_or(rest.len());
        let path = &out[start + 1 + name.len()..end];
        let segments: Vec<&str> = path
            .split('[')
            .skip(1)
            .filter_map(|p| p.split_once(']').map(|(seg, _)| seg))
            .filter(|seg| !seg.is_empty())
            .collect();
        if segments.is_empty() {
            search_from = end;
            continue;
        }
        let mut reached = results.get(name).cloned().unwrap_or(Value::Null);
        for seg in segments {
            let next = match &reached {
                Value::Object(m) => m.get(seg).cloned(),
                Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i).cloned()),
                _ => None,
            };
            match next {
                Some(v) if !v.is_null() => reached = v,
                _ => break,
            }
        }
        if start == 0 && end == out.len() {
            return Param::from_json(&reached);
        }
        let text = match &reached {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                search_from = end;
                continue;
            }
        };
        out.replace_range(start..end, &text);
        search_from = start + text.len();
    }
    Param::Str(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn crm() -> Crm {
        Crm::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap()
    }

    fn run_batch(body: &str) -> Value {
        batch(&mut crm(), &parse_query(body), Policy::default()).unwrap().result
    }

    #[test]
    fn references_chain_commands_in_order() {
        let r = run_batch(
            "halt=0&cmd[match]=crm.duplicate.findbycomm%3Ftype%3DPHONE%26values%5B0%5D%3D301234567\
             &cmd[contact]=crm.contact.get%3Fid%3D%24result%5Bmatch%5D%5BCONTACT%5D%5B0%5D\
             &cmd[company]=crm.company.get%3Fid%3D%24result%5Bcontact%5D%5BCOMPANY_ID%5D",
        );
        assert_eq!(r["result"]["match"], json!({"CONTACT": [1]}));
        assert_eq!(r["result"]["contact"]["LAST_NAME"], "Schmidt");
        assert_eq!(r["result"]["company"]["TITLE"], "Müller Logistik GmbH");
        assert_eq!(r["result_error"], json!([]));
    }

    #[test]
    fn a_missing_path_keeps_what_it_reached_as_php_does() {
        // No CONTACT in the match: the reference stops at the match object, which `intval`
        // reads as 1, so the portal answers contact #1. Clients must check what they get.
        let r = run_batch(
            "cmd[match]=crm.duplicate.findbycomm%3Ftype%3DPHONE%26values%5B0%5D%3D49405556677\
             &cmd[contact]=crm.contact.get%3Fid%3D%24result%5Bmatch%5D%5BCONTACT%5D%5B0%5D",
        );
        assert_eq!(r["result"]["match"], json!({"COMPANY": [2]}));
        assert_eq!(r["result"]["contact"]["ID"], "1");
        // Nothing matched at all: `[]` reads as 0, an error for that command only.
        let r = run_batch(
            "cmd[match]=crm.duplicate.findbycomm%3Ftype%3DPHONE%26values%5B0%5D%3D12025550123\
             &cmd[contact]=crm.contact.get%3Fid%3D%24result%5Bmatch%5D%5BCONTACT%5D%5B0%5D",
        );
        assert_eq!(r["result"]["match"], json!([]));
        assert_eq!(r["result_error"]["contact"]["error_description"], "ID is not defined or invalid.");
    }

    #[test]
    fn halt_stops_and_the_limit_is_fifty() {
        let r = run_batch("halt=1&cmd[a]=crm.contact.get%3Fid%3D0&cmd[b]=crm.contact.get%3Fid%3D1");
        assert!(r["result_error"].get("a").is_some());
        assert_eq!(r["result"], json!([]));
        let many: String = (0..51).map(|i| format!("&cmd[c{i}]=crm.contact.get%3Fid%3D1")).collect();
        let r = run_batch(&many[1..]);
        assert_eq!(r["result_error"]["c50"]["error"], "ERROR_BATCH_LENGTH_EXCEEDED");
        assert_eq!(r["result"]["c49"]["ID"], "1");
    }

    #[test]
    fn lists_filter_order_select_and_page() {
        let crm = crm();
        let q = |query: &str| list(&crm, Kind::Deal, &parse_query(query)).unwrap();
        // An array filter value is "any of"; multifields are not selected by default.
        let a = q("filter[CONTACT_ID][0]=1&filter[CONTACT_ID][1]=4&filter[STAGE_SEMANTIC_ID]=P&order[OPPORTUNITY]=DESC&select[]=ID&select[]=TITLE");
        let titles: Vec<_> = a.result.as_array().unwrap().iter().map(|d| d["TITLE"].as_str().unwrap().to_string()).collect();
        assert_eq!(titles, ["Поставка оборудования", "Warehouse expansion", "Annual logistics contract", "Forklift maintenance 2027", "Pilot order"]);
        assert!(a.result[0].get("OPPORTUNITY").is_none());
        assert_eq!(a.total, Some(5));
        assert_eq!(a.next, None);
        // Operators.
        let b = q("filter[!STAGE_SEMANTIC_ID]=P&filter[%3E%3DOPPORTUNITY]=100000");
        assert!(!b.result.as_array().unwrap().is_empty());
        assert!(b.result.as_array().unwrap().iter().all(|d| d["OPPORTUNITY"].as_str().unwrap().parse::<f64>().unwrap() >= 100000.0));
        assert!(b.result.as_array().unwrap().iter().all(|d| d["STAGE_SEMANTIC_ID"] != "P"));
        // Paging by 50, and start=-1 for an uncounted first page.
        let acts = list(&crm, Kind::Activity, &parse_query("")).unwrap();
        assert_eq!((acts.result.as_array().unwrap().len(), acts.next), (50, Some(50)));
        let page2 = list(&crm, Kind::Activity, &parse_query("start=50")).unwrap();
        assert_eq!(page2.result[0]["ID"], "51");
        let uncounted = list(&crm, Kind::Activity, &parse_query("start=-1")).unwrap();
        assert_eq!((uncounted.total, uncounted.next), (None, None));
        // Multifields on request.
        let c = list(&crm, Kind::Contact, &parse_query("filter[ID]=1&select[]=*&select[]=PHONE")).unwrap();
        assert_eq!(c.result[0]["PHONE"][0]["VALUE"], "030 1234567");
        assert!(c.result[0].get("EMAIL").is_none());
    }

    #[test]
    fn writes_persist_and_are_validated() {
        let mut crm = crm();
        let p = Policy::default();
        let id = call(&mut crm, "crm.contact.add", &parse_query("fields[NAME]=Neu&fields[PHONE][0][VALUE]=%2B49301112233&fields[PHONE][0][VALUE_TYPE]=MOBILE"), p)
            .unwrap()
            .result;
        let id = id.as_i64().unwrap();
        assert_eq!(call(&mut crm, "crm.contact.get", &parse_query(&format!("id={id}")), p).unwrap().result["NAME"], "Neu");
        let found = call(&mut crm, "crm.duplicate.findbycomm", &parse_query("type=PHONE&values[]=49301112233"), p).unwrap().result;
        assert_eq!(found["CONTACT"], json!([id]));
        assert!(call(&mut crm, "crm.lead.add", &parse_query("fields[EMAIL][0][VALUE]=x@y.z"), p).is_err(), "a lead needs a name or title");

        let c = call(&mut crm, "crm.timeline.comment.add", &parse_query("fields[ENTITY_ID]=1&fields[ENTITY_TYPE]=contact&fields[COMMENT]=Called+back"), p).unwrap();
        let listed = call(&mut crm, "crm.timeline.comment.list", &parse_query("filter[ENTITY_ID]=1&filter[ENTITY_TYPE]=contact&order[ID]=DESC"), p).unwrap();
        assert_eq!(listed.result[0]["COMMENT"], "Called back");
        assert_eq!(listed.result[0]["ID"], c.result.as_i64().unwrap().to_string());
        assert!(call(&mut crm, "crm.timeline.comment.add", &parse_query("fields[ENTITY_ID]=9999&fields[ENTITY_TYPE]=contact&fields[COMMENT]=x"), p).is_err());
    }

    #[test]
    fn an_activity_is_checked_as_the_docs_list_its_errors_and_listed_for_its_owner() {
        let mut crm = crm();
        let p = Policy::default();
        let base = "fields[OWNER_TYPE_ID]=3&fields[OWNER_ID]=1&fields[TYPE_ID]=2&fields[DIRECTION]=2&fields[START_TIME]=2026-11-27T09:00:00%2B00:00";
        let call_with = |crm: &mut Crm, extra: &str| call(crm, "crm.activity.add", &parse_query(&format!("{base}{extra}")), p);
        let refused = |o: Outcome| o.err().map(|f| f.body()["error_description"].as_str().unwrap_or_default().to_string()).unwrap_or_default();
        assert!(refused(call_with(&mut crm, "&fields[RESPONSIBLE_ID]=1&fields[COMMUNICATIONS][0][VALUE]=1")).contains("SUBJECT"));
        assert!(refused(call_with(&mut crm, "&fields[SUBJECT]=Call+back&fields[COMMUNICATIONS][0][VALUE]=1")).contains("RESPONSIBLE_ID"));
        assert!(refused(call_with(&mut crm, "&fields[SUBJECT]=Call+back&fields[RESPONSIBLE_ID]=1")).contains("COMMUNICATIONS"));
        let two = "&fields[SUBJECT]=x&fields[RESPONSIBLE_ID]=1&fields[COMMUNICATIONS][0][VALUE]=1&fields[COMMUNICATIONS][1][VALUE]=2";
        assert!(refused(call_with(&mut crm, two)).contains("only one communication"));
        let id = call_with(&mut crm, "&fields[SUBJECT]=Call+back&fields[RESPONSIBLE_ID]=1&fields[COMMUNICATIONS][0][VALUE]=%2B49301234567").unwrap().result;
        let listed = call(&mut crm, "crm.activity.list", &parse_query("filter[OWNER_TYPE_ID]=3&filter[OWNER_ID]=1&filter[COMPLETED]=N&order[DEADLINE]=ASC"), p).unwrap();
        let wanted = id.as_i64().unwrap().to_string();
        let row = listed.result.as_array().unwrap().iter().find(|r| r["ID"].as_str() == Some(wanted.as_str())).cloned().unwrap();
        assert_eq!((row["DEADLINE"].as_str(), row["SUBJECT"].as_str()), (Some("2026-11-27T09:00:00+00:00"), Some("Call back")));
    }

    #[test]
    fn a_deal_added_for_a_contact_is_listed_as_hers_with_the_documented_defaults() {
        let mut crm = crm();
        let p = Policy::default();
        let id = call(&mut crm, "crm.deal.add", &parse_query("fields[TITLE]=Anna+Schmidt&fields[CONTACT_IDS][0]=1&fields[COMPANY_ID]=1"), p).unwrap().result;
        let listed = call(&mut crm, "crm.deal.list", &parse_query("filter[CONTACT_ID]=1&filter[STAGE_SEMANTIC_ID]=P&order[DATE_CREATE]=DESC&select[]=ID&select[]=TITLE&select[]=STAGE_ID"), p).unwrap();
        assert_eq!(listed.result[0]["ID"], id.as_i64().unwrap().to_string());
        assert_eq!((listed.result[0]["TITLE"].as_str(), listed.result[0]["STAGE_ID"].as_str()), (Some("Anna Schmidt"), Some("NEW")));
        // No title: the portal names it after its id.
        let untitled = call(&mut crm, "crm.deal.add", &parse_query("fields[COMPANY_ID]=1"), p).unwrap().result.as_i64().unwrap();
        let got = call(&mut crm, "crm.deal.get", &parse_query(&format!("id={untitled}")), p).unwrap().result;
        assert_eq!(got["TITLE"], format!("Deal #{untitled}"));
    }

    #[test]
    fn placements_bind_list_and_unbind() {
        let mut crm = crm();
        let p = Policy { admin: true, ..Policy::default() };
        let bind = "PLACEMENT=CALL_CARD&HANDLER=https%3A%2F%2Fapp.example%2F&TITLE=Caller&LANG_ALL[de][TITLE]=Anrufer";
        assert_eq!(call(&mut crm, "placement.bind", &parse_query(bind), p).unwrap().result, json!(true));
        assert_eq!(call(&mut crm, "placement.bind", &parse_query(bind), p).unwrap_err().description, "Handler already binded");
        let listed = call(&mut crm, "placement.get", &Param::default(), p).unwrap().result;
        assert_eq!(listed[0]["handler"], "https://app.example/");
        assert_eq!(listed[0]["langAll"]["de"]["TITLE"], "Anrufer");
        let gone = call(&mut crm, "placement.unbind", &parse_query("PLACEMENT=CALL_CARD"), p).unwrap().result;
        assert_eq!(gone, json!({"count": 1}));
    }

    #[test]
    fn only_administrators_manage_placements_and_anyone_reads_scopes() {
        let mut crm = crm();
        let user = Policy::default();
        let bind = parse_query("PLACEMENT=CALL_CARD&HANDLER=https%3A%2F%2Fapp.example%2F");
        for method in ["placement.bind", "placement.unbind", "placement.get"] {
            let fail = call(&mut crm, method, &bind, user).unwrap_err();
            assert_eq!((fail.status, fail.code.as_str()), (403, "ACCESS_DENIED"), "{method}");
        }
        assert_eq!(call(&mut crm, "user.admin", &Param::default(), user).unwrap().result, json!(false));
        assert_eq!(call(&mut crm, "scope", &Param::default(), user).unwrap().result, json!(APP_SCOPES));
        let no_crm = Policy { scopes: Some(&["placement"]), ..user };
        assert_eq!(call(&mut crm, "scope", &Param::default(), no_crm).unwrap().result, json!(["placement"]));
        let admin_without_telephony = Policy { admin: true, ..no_crm };
        assert_eq!(call(&mut crm, "placement.bind", &bind, admin_without_telephony).unwrap_err().code, "insufficient_scope");
    }

    #[test]
    fn scopes_and_faults_apply_inside_batches_too() {
        let mut crm = crm();
        let no_crm = Policy { scopes: Some(&["placement", "telephony", "user_brief"]), ..Policy::default() };
        let fail = call(&mut crm, "crm.contact.get", &parse_query("id=1"), no_crm).unwrap_err();
        assert_eq!((fail.status, fail.code.as_str()), (403, "insufficient_scope"));
        assert!(call(&mut crm, "user.get", &parse_query("ID=1"), no_crm).is_ok());
        let r = batch(&mut crm, &parse_query("cmd[a]=crm.contact.get%3Fid%3D1&cmd[b]=user.current"), no_crm).unwrap().result;
        assert_eq!(r["result_error"]["a"]["error"], "insufficient_scope");
        assert_eq!(r["result"]["b"]["ID"], "1");
        let faults = [Fault::Error { method: "crm.activity.list", status: 500, code: "INTERNAL_SERVER_ERROR", description: "boom" }];
        let broken = Policy { faults: &faults, ..Policy::default() };
        assert_eq!(call(&mut crm, "crm.activity.list", &Param::default(), broken).unwrap_err().status, 500);
    }

    #[test]
    fn a_registered_call_is_kept_with_the_record_of_its_number() {
        let mut crm = crm();
        let p = Policy::default();
        let shown = call(&mut crm, "telephony.externalCall.register", &parse_query("USER_ID=1&PHONE_NUMBER=%2B7+812+555-01-00&TYPE=2&SHOW=1"), p).unwrap().result;
        assert!(shown["CALL_ID"].as_str().unwrap().starts_with("externalCall."));
        assert_eq!(shown["CRM_ENTITY_TYPE"], "CONTACT", "{shown}");
        assert_eq!(crm.all(Kind::Call)[0]["PHONE_NUMBER"], "78125550100");
        // Compared as the portal compares: no country awareness, so a national 030 … is not found.
        let national = call(&mut crm, "telephony.externalCall.register", &parse_query("USER_ID=1&PHONE_NUMBER=49301234567&TYPE=2"), p).unwrap().result;
        assert_eq!(national["CRM_ENTITY_TYPE"], Value::Null);
        for (query, why) in [
            ("PHONE_NUMBER=4930&TYPE=2", "USER_ID or USER_PHONE_INNER should be set."),
            ("USER_ID=1&PHONE_NUMBER=4930&TYPE=9", "Unknown TYPE."),
            ("USER_ID=1&PHONE_NUMBER=abc&TYPE=2", "Unsupported phone number format."),
            ("USER_ID=999&PHONE_NUMBER=4930&TYPE=2", "User is not found or is not active."),
        ] {
            assert_eq!(call(&mut crm, "telephony.externalCall.register", &parse_query(query), p).unwrap_err().description, why);
        }
    }

    #[test]
    fn search_crm_entities_finds_every_kind() {
        let found = call(&mut crm(), "telephony.externalCall.searchCrmEntities", &parse_query("PHONE_NUMBER=78125550100"), Policy::default())
            .unwrap()
            .result;
        let kinds: Vec<_> = found.as_array().unwrap().iter().map(|e| e["CRM_ENTITY_TYPE"].as_str().unwrap().to_string()).collect();
        assert!(kinds.contains(&"CONTACT".to_string()) && kinds.contains(&"COMPANY".to_string()), "{found}");
    }

    #[test]
    fn status_lists_take_scalars_only_as_php_8_does() {
        let mut crm = crm();
        let p = Policy::default();
        // An array ENTITY_ID reaches mysqli_real_escape_string: a TypeError, HTTP 500.
        let fail = call(&mut crm, "crm.status.list", &parse_query("filter[ENTITY_ID][0]=DEAL_STAGE&filter[ENTITY_ID][1]=STATUS"), p).unwrap_err();
        assert!(fail.fatal && fail.status == 500, "{fail:?}");
        // Inside a batch it takes the whole request down: no per-command error, no results.
        let whole = batch(
            &mut crm,
            &parse_query("cmd[me]=user.current&cmd[stages]=crm.status.list%3Ffilter%5BENTITY_ID%5D%5B0%5D%3DSTATUS"),
            p,
        )
        .unwrap_err();
        assert!(whole.fatal);
        // Scalars filter; no filter lists every directory, unpaged, by SORT.
        let lead = call(&mut crm, "crm.status.list", &parse_query("filter[ENTITY_ID]=STATUS"), p).unwrap().result;
        assert!(lead.as_array().unwrap().iter().all(|s| s["ENTITY_ID"] == "STATUS"));
        let all = call(&mut crm, "crm.status.list", &Param::default(), p).unwrap();
        let rows = all.result.as_array().unwrap();
        assert!(rows.len() > 50 || all.next.is_none(), "never paged");
        let entities: std::collections::BTreeSet<_> = rows.iter().map(|s| s["ENTITY_ID"].as_str().unwrap()).collect();
        assert!(entities.contains("DEAL_STAGE") && entities.contains("DEAL_STAGE_1") && entities.contains("STATUS"), "{entities:?}");
        let sorts: Vec<i64> = rows.iter().map(|s| s["SORT"].as_str().unwrap().parse().unwrap()).collect();
        assert!(sorts.windows(2).all(|w| w[0] <= w[1]), "{sorts:?}");
        // Operators are not supported: such a key is ignored, like any unknown one.
        let ignored = call(&mut crm, "crm.status.list", &parse_query("filter[!ENTITY_ID]=STATUS&filter[COLOUR]=x"), p).unwrap().result;
        assert_eq!(ignored.as_array().unwrap().len(), rows.len());
    }

    #[test]
    fn user_get_reads_a_scalar_id_and_dies_on_an_array() {
        let mut crm = crm();
        let p = Policy::default();
        let one = call(&mut crm, "user.get", &parse_query("ID=2+"), p).unwrap().result;
        assert_eq!(one.as_array().unwrap().len(), 1);
        assert_eq!(one[0]["ID"], "2");
        let nobody = call(&mut crm, "user.get", &parse_query("ID=%24result%5Bcontacts%5D%5B2%5D%5BASSIGNED_BY_ID%5D+"), p).unwrap().result;
        assert_eq!(nobody, json!([]));
        let fail = call(&mut crm, "user.get", &parse_query("ID[0][ID]=1&ID[0][NAME]=x"), p).unwrap_err();
        assert!(fail.fatal, "{fail:?}");
    }

    #[test]
    fn array_filters_read_as_the_portals_sql_where() {
        let crm = crm();
        // Nothing found at all: the reference is `[]`, which is `1=0`.
        let none = list(&crm, Kind::Contact, &parse_query("filter[ID]=")).unwrap();
        assert_eq!(none.result, json!([]), "an empty value compares as empty");
        let mut empty = Param::default();
        empty.merge(Param::Map(vec![("filter".into(), Param::Map(vec![("ID".into(), Param::Map(vec![]))]))]));
        assert_eq!(list(&crm, Kind::Contact, &empty).unwrap().result, json!([]));
        // Another kind matched: `{COMPANY: [2]}` reaches the contact filter, and its element
        // [2] is intval-ed to 1: contact #1 comes back, which the widget must not show.
        let other = list(&crm, Kind::Contact, &parse_query("filter[ID][COMPANY][0]=2&select[]=ID")).unwrap().result;
        assert_eq!(other, json!([{"ID": "1"}]));
    }

    #[test]
    fn a_number_is_added_to_a_record_keeping_its_others() {
        let mut crm = crm();
        let p = Policy::default();
        let found = call(&mut crm, "crm.contact.list", &parse_query("filter[%25LAST_NAME]=schmi&select[]=ID"), p).unwrap().result;
        assert_eq!(found, json!([{"ID": "1"}]), "a substring, any case");
        let before = crm.get(Kind::Contact, 1).unwrap()["PHONE"].as_array().unwrap().len();
        let r = call(&mut crm, "crm.contact.update", &parse_query("id=1&fields[PHONE][0][VALUE]=%2B1+202+555+0123&fields[PHONE][0][VALUE_TYPE]=WORK"), p).unwrap();
        assert_eq!(r.result, json!(true));
        let phones = crm.get(Kind::Contact, 1).unwrap()["PHONE"].as_array().unwrap().clone();
        assert_eq!(phones.len(), before + 1);
        assert_eq!(phones.last().unwrap()["VALUE"], "+1 202 555 0123");
        let found = call(&mut crm, "crm.duplicate.findbycomm", &parse_query("type=PHONE&values[]=12025550123"), p).unwrap().result;
        assert_eq!(found["CONTACT"], json!([1]), "found by the new number at once");
        assert_eq!(call(&mut crm, "crm.contact.update", &parse_query("id=9999&fields[NAME]=x"), p).unwrap_err().description, "Not found");
    }

    #[test]
    fn unknown_list_filter_keys_are_ignored() {
        let crm = crm();
        let all = list(&crm, Kind::Contact, &parse_query("start=-1")).unwrap().result;
        let with_unknown = list(&crm, Kind::Contact, &parse_query("start=-1&filter[NO_SUCH_FIELD]=1")).unwrap().result;
        assert_eq!(all, with_unknown);
    }

    #[test]
    fn unknown_methods_and_nesting_are_refused() {
        assert_eq!(call(&mut crm(), "crm.nothing", &Param::default(), Policy::default()).unwrap_err().status, 404);
        let r = run_batch("cmd[x]=batch%3Fcmd%5By%5D%3Duser.current");
        assert_eq!(r["result_error"]["x"]["error"], "ERROR_BATCH_METHOD_NOT_ALLOWED");
    }

    #[test]
    fn references_inside_longer_strings_are_text() {
        let mut results = Map::new();
        results.insert("result".into(), json!({"a": {"ID": "7", "L": [1, 2]}}));
        assert_eq!(resolve_string("id-$result[a][ID] x", &results), Param::Str("id-7 x".into()));
        assert_eq!(resolve_string("$result[a][L]", &results).to_json(), json!(["1", "2"]));
        // An array inside a longer string is left as written (newer rest_util.php; older ones
        // printed "Array"): either way the value is text, never an array.
        assert_eq!(resolve_string("x $result[a][L]", &results), Param::Str("x $result[a][L]".into()));
        assert_eq!(resolve_string("$result[a][ID] ", &results), Param::Str("7 ".into()));
        assert_eq!(resolve_string("$result[a][9][ID] ", &results), Param::Str("$result[a][9][ID] ".into()));
        // The match runs to the next blank, so a trailing mark is part of it, as in PHP.
        assert_eq!(resolve_string("$result[a][L]-", &results).to_json(), json!(["1", "2"]));
        assert_eq!(resolve_string("cost $5", &results), Param::Str("cost $5".into()));
    }
}
