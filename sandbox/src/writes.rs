//! The methods that change the CRM (records, timeline comments) or the app's placements. Writes
//! last for the sandbox process's life: a comment added is there on reload.

use serde_json::{json, Map, Value};

use crate::crm::{id_of, Crm, Kind};
use crate::params::Param;
use crate::outcome::{Answer, Fail, Outcome};
use crate::time::iso8601;

fn now_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    iso8601(secs)
}

/// The `fields` of an `*.add` call as a record; anything but an array is refused as the
/// portal refuses it.
fn fields_of(params: &Param) -> Result<Map<String, Value>, Fail> {
    let Some(fields) = params.get_ci("fields").filter(|f| matches!(f, Param::Map(_))) else {
        return Err(Fail::new(400, "", "Parameter 'fields' must be array."));
    };
    Ok(match fields.to_json() {
        Value::Object(m) => m,
        _ => Map::new(),
    })
}

/// `crm.contact.add`, `crm.company.add`, `crm.lead.add` `{fields: {…}}` → the new id.
pub fn add_record(crm: &mut Crm, kind: Kind, params: &Param) -> Outcome {
    let mut record = fields_of(params)?;
    let text = |r: &Map<String, Value>, k: &str| r.get(k).and_then(Value::as_str).map(str::trim).unwrap_or_default().to_string();
    let named = match kind {
        Kind::Company => !text(&record, "TITLE").is_empty(),
        Kind::Lead => ["TITLE", "NAME", "LAST_NAME", "COMPANY_TITLE"].iter().any(|k| !text(&record, k).is_empty()),
        _ => ["NAME", "LAST_NAME", "SECOND_NAME"].iter().any(|k| !text(&record, k).is_empty()),
    };
    if !named {
        let needed = if kind == Kind::Company { "TITLE" } else { "NAME or LAST_NAME" };
        return Err(Fail::new(400, "", &format!("The field {needed} is required.")));
    }
    // Multifield entries get ids of their own, as the portal numbers them.
    let id_base = crm.next_id(kind, 1) * 100;
    for (m, multi) in ["PHONE", "EMAIL"].into_iter().enumerate() {
        if let Some(items) = record.get(multi).cloned() {
            let list: Vec<Value> = items
                .as_array()
                .cloned()
                .or_else(|| items.as_object().map(|o| o.values().cloned().collect()))
                .unwrap_or_default()
                .into_iter()
                .filter(|i| i.get("VALUE").and_then(Value::as_str).is_some_and(|v| !v.trim().is_empty()))
                .enumerate()
                .map(|(n, mut i)| {
                    if let Some(o) = i.as_object_mut() {
                        o.entry("VALUE_TYPE").or_insert(json!("WORK"));
                        o.insert("TYPE_ID".into(), json!(multi));
                        o.insert("ID".into(), json!((id_base + (m as i64) * 50 + n as i64).to_string()));
                    }
                    i
                })
                .collect();
            record.insert(multi.into(), Value::Array(list));
        }
    }
    if kind == Kind::Lead {
        record.entry("STATUS_ID").or_insert(json!("NEW"));
        record.entry("TITLE").or_insert(json!(""));
    }
    record.entry("ASSIGNED_BY_ID").or_insert(json!("1"));
    record.insert("DATE_CREATE".into(), json!(now_iso()));
    let id = crm.insert(kind, record);
    Ok(Answer { result: json!(id), total: None, next: None, processing: 0.0 })
}

/// `crm.contact/company/lead.update {id, fields}` → `true` (crm's `classes/general/restservice.php`:
/// `update` checks the id, `internalizeFields` turns multifield items into the portal's FM data).
/// A multifield item with an `ID` changes that value (an empty `VALUE` removes it); an item
/// without one is a new value, and the record's other values stay. Plain fields are set.
pub fn update_record(crm: &mut Crm, kind: Kind, params: &Param) -> Outcome {
    let id = params.get_ci("id").map(Param::intval).unwrap_or(0);
    if id <= 0 {
        return Err(Fail::new(400, "", "ID is not defined or invalid."));
    }
    let fields = match params.get_ci("fields").map(Param::to_json) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let next_item = crm.next_id(kind, 1) * 100 + 90;
    let Some(Value::Object(record)) = crm.get_mut(kind, id) else {
        return Err(Fail::new(400, "", "Not found"));
    };
    for (name, value) in fields {
        let upper = name.to_ascii_uppercase();
        if upper == "ID" {
            continue;
        }
        if upper == "PHONE" || upper == "EMAIL" {
            let items: Vec<Value> = value.as_array().cloned().or_else(|| value.as_object().map(|o| o.values().cloned().collect())).unwrap_or_default();
            let mut list = record.get(&upper).and_then(Value::as_array).cloned().unwrap_or_default();
            for (n, item) in items.into_iter().enumerate() {
                let value_text = item.get("VALUE").and_then(Value::as_str).map(str::trim).unwrap_or_default().to_string();
                match item.get("ID").and_then(|i| i.as_str().map(String::from).or_else(|| i.as_i64().map(|v| v.to_string()))) {
                    Some(item_id) if value_text.is_empty() => list.retain(|v| v.get("ID").and_then(Value::as_str) != Some(item_id.as_str())),
                    Some(item_id) => {
                        for v in list.iter_mut().filter(|v| v.get("ID").and_then(Value::as_str) == Some(item_id.as_str())) {
                            v["VALUE"] = json!(value_text);
                        }
                    }
                    None if !value_text.is_empty() => list.push(json!({
                        "ID": (next_item + n as i64).to_string(),
                        "VALUE": value_text,
                        "VALUE_TYPE": item.get("VALUE_TYPE").cloned().unwrap_or(json!("WORK")),
                        "TYPE_ID": upper,
                    })),
                    None => {}
                }
            }
            record.insert(upper, Value::Array(list));
        } else {
            record.insert(upper, value);
        }
    }
    Ok(Answer { result: json!(true), total: None, next: None, processing: 0.0 })
}

/// `crm.deal.add {fields}` → the new id, with the defaults the docs give
/// (`api-reference/crm/deals/crm-deal-add.md`): `TITLE` "Deal #{id}" when none, the default
/// pipeline's first stage, `OPPORTUNITY` 0.00, open to all, not closed, the calling user
/// responsible. `CONTACT_IDS` binds contacts; the first is the deal's `CONTACT_ID` (the field
/// the old list filters by). Its stage dates from now (`MOVED_TIME`). The calling user is the
/// data set's user 1, as for every write here (**guess**: the sandbox has one agent).
pub fn add_deal(crm: &mut Crm, params: &Param) -> Outcome {
    let mut record = fields_of(params)?;
    let id = crm.next_id(Kind::Deal, 1);
    let title = record.get("TITLE").and_then(Value::as_str).map(str::trim).unwrap_or_default().to_string();
    record.insert("TITLE".into(), json!(if title.is_empty() { format!("Deal #{id}") } else { title }));
    let contacts: Vec<Value> = match record.remove("CONTACT_IDS") {
        Some(Value::Array(ids)) => ids,
        Some(Value::Object(ids)) => ids.into_iter().map(|(_, v)| v).collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    if let Some(first) = contacts.first().and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_i64().map(|n| n.to_string()))) {
        record.insert("CONTACT_ID".into(), json!(first));
    }
    for (key, value) in [("CATEGORY_ID", "0"), ("STAGE_ID", "NEW"), ("STAGE_SEMANTIC_ID", "P"), ("OPPORTUNITY", "0.00"), ("CURRENCY_ID", "EUR"), ("OPENED", "Y"), ("CLOSED", "N"), ("ASSIGNED_BY_ID", "1")] {
        record.entry(key).or_insert(json!(value));
    }
    record.insert("DATE_CREATE".into(), json!(now_iso()));
    record.insert("MOVED_TIME".into(), json!(now_iso()));
    let id = crm.insert(Kind::Deal, record);
    Ok(Answer { result: json!(id), total: None, next: None, processing: 0.0 })
}

/// `crm.activity.add {fields}` → the new id, checked as the docs list its errors
/// (`api-reference/crm/timeline/activities/activity-base/crm-activity-add.md`): `TYPE_ID`,
/// `SUBJECT` and `RESPONSIBLE_ID` required; a call, meeting or e-mail needs `COMMUNICATIONS`, a
/// call or meeting exactly one; the owner must exist ("Could not build binding…"). A call's
/// deadline is its start. Bindings beyond the owner are not kept (**guess**: the sandbox lists
/// activities by their owner only).
pub fn add_activity(crm: &mut Crm, params: &Param) -> Outcome {
    let mut record = fields_of(params)?;
    let int = |r: &Map<String, Value>, k: &str| match r.get(k) {
        Some(Value::String(s)) => s.trim().parse::<i64>().unwrap_or(0),
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        _ => 0,
    };
    let type_id = int(&record, "TYPE_ID");
    if !(1..=6).contains(&type_id) {
        return Err(Fail::new(400, "", "The field TYPE_ID is not defined or invalid."));
    }
    if record.get("SUBJECT").and_then(Value::as_str).map(str::trim).unwrap_or_default().is_empty() {
        return Err(Fail::new(400, "", "The field SUBJECT is not defined or empty."));
    }
    if int(&record, "RESPONSIBLE_ID") <= 0 {
        return Err(Fail::new(400, "", "The field RESPONSIBLE_ID is not defined or invalid."));
    }
    let communications = match record.get("COMMUNICATIONS") {
        Some(Value::Array(items)) => items.len(),
        Some(Value::Object(items)) => items.len(),
        _ => 0,
    };
    if [1, 2, 4].contains(&type_id) && communications == 0 {
        return Err(Fail::new(400, "", "The field COMMUNICATIONS is not defined or invalid."));
    }
    if [1, 2].contains(&type_id) && communications > 1 {
        return Err(Fail::new(400, "", "The only one communication is allowed for activity of specified type."));
    }
    let owner = match int(&record, "OWNER_TYPE_ID") {
        1 => Some(Kind::Lead),
        2 => Some(Kind::Deal),
        3 => Some(Kind::Contact),
        4 => Some(Kind::Company),
        _ => None,
    };
    if owner.is_none_or(|kind| crm.get(kind, int(&record, "OWNER_ID")).is_none()) {
        return Err(Fail::new(400, "", "Could not build binding. Please ensure that owner info and communications are defined correctly."));
    }
    for key in ["OWNER_TYPE_ID", "OWNER_ID", "TYPE_ID", "RESPONSIBLE_ID", "DIRECTION"] {
        let value = int(&record, key);
        record.insert(key.into(), json!(value.to_string()));
    }
    record.remove("COMMUNICATIONS");
    record.entry("COMPLETED").or_insert(json!("N"));
    if let Some(start) = record.get("START_TIME").cloned().filter(|_| [1, 2].contains(&type_id)) {
        record.insert("DEADLINE".into(), start);
    }
    record.insert("CREATED".into(), json!(now_iso()));
    let id = crm.insert(Kind::Activity, record);
    Ok(Answer { result: json!(id), total: None, next: None, processing: 0.0 })
}

/// `crm.timeline.comment.add {fields: {ENTITY_ID, ENTITY_TYPE, COMMENT}}` → the new id.
pub fn add_comment(crm: &mut Crm, params: &Param) -> Outcome {
    let fields = params.get_ci("fields");
    let get = |k: &str| fields.and_then(|f| f.get_ci(k)).and_then(Param::as_str).map(str::trim).unwrap_or_default().to_string();
    let kind = match get("ENTITY_TYPE").to_ascii_lowercase().as_str() {
        "contact" => Kind::Contact,
        "company" => Kind::Company,
        "lead" => Kind::Lead,
        "deal" => Kind::Deal,
        _ => return Err(Fail::new(400, "", "Entity type is not supported.")),
    };
    let entity_id: i64 = get("ENTITY_ID").parse().unwrap_or(0);
    if crm.get(kind, entity_id).is_none() {
        return Err(Fail::new(400, "", "Entity not found."));
    }
    let comment = get("COMMENT");
    if comment.is_empty() {
        return Err(Fail::new(400, "", "Comment is empty."));
    }
    let mut record = Map::new();
    record.insert("ENTITY_ID".into(), json!(entity_id.to_string()));
    record.insert("ENTITY_TYPE".into(), json!(get("ENTITY_TYPE").to_ascii_lowercase()));
    record.insert("CREATED".into(), json!(now_iso()));
    record.insert("AUTHOR_ID".into(), json!("1"));
    record.insert("COMMENT".into(), json!(comment));
    record.insert("FILES".into(), json!([]));
    let id = crm.insert(Kind::Comment, record);
    Ok(Answer { result: json!(id), total: None, next: None, processing: 0.0 })
}

fn placement_param(params: &Param, key: &str) -> String {
    params.get_ci(key).and_then(Param::as_str).map(str::trim).unwrap_or_default().to_string()
}

/// `placement.bind {PLACEMENT, HANDLER, TITLE, LANG_ALL}` → `true`.
pub fn bind(crm: &mut Crm, params: &Param) -> Outcome {
    let placement = placement_param(params, "PLACEMENT").to_ascii_uppercase();
    let handler = placement_param(params, "HANDLER");
    if placement.is_empty() {
        return Err(Fail::new(400, "ERROR_PLACEMENT_NOT_FOUND", "Placement not found"));
    }
    if !(handler.starts_with("http://") || handler.starts_with("https://")) {
        return Err(Fail::new(400, "ERROR_WRONG_HANDLER_URL", "Wrong handler URL"));
    }
    let already = crm.all(Kind::Placement).iter().any(|p| {
        p.get("placement").and_then(Value::as_str) == Some(placement.as_str())
            && p.get("handler").and_then(Value::as_str) == Some(handler.as_str())
    });
    if already {
        return Err(Fail::new(400, "ERROR_PLACEMENT_MAX_COUNT", "Handler already binded"));
    }
    let mut record = Map::new();
    record.insert("placement".into(), json!(placement));
    record.insert("handler".into(), json!(handler));
    record.insert("title".into(), json!(placement_param(params, "TITLE")));
    record.insert("description".into(), json!(placement_param(params, "DESCRIPTION")));
    record.insert("options".into(), json!([]));
    record.insert("langAll".into(), params.get_ci("LANG_ALL").map(Param::to_json).unwrap_or(json!([])));
    crm.insert(Kind::Placement, record);
    Ok(Answer { result: json!(true), total: None, next: None, processing: 0.0 })
}

/// `placement.unbind {PLACEMENT, HANDLER?}` → `{count}`.
pub fn unbind(crm: &mut Crm, params: &Param) -> Outcome {
    let placement = placement_param(params, "PLACEMENT").to_ascii_uppercase();
    let handler = placement_param(params, "HANDLER");
    if placement.is_empty() {
        return Err(Fail::new(400, "ERROR_PLACEMENT_NOT_FOUND", "Placement not found"));
    }
    let count = crm.remove(Kind::Placement, |p| {
        p.get("placement").and_then(Value::as_str) == Some(placement.as_str())
            && (handler.is_empty() || p.get("handler").and_then(Value::as_str) == Some(handler.as_str()))
    });
    Ok(Answer { result: json!({ "count": count }), total: None, next: None, processing: 0.0 })
}

/// `placement.get` → the app's bindings.
pub fn placements(crm: &Crm) -> Outcome {
    let list: Vec<Value> = crm
        .all(Kind::Placement)
        .iter()
        .map(|p| {
            let mut p = p.clone();
            if let Some(o) = p.as_object_mut() {
                o.remove("ID");
            }
            p
        })
        .collect();
    Ok(Answer { result: Value::Array(list), total: None, next: None, processing: 0.0 })
}

/// `telephony.externalCall.register {USER_ID, PHONE_NUMBER, TYPE, SHOW…}` → the call's id and
/// the record the number belongs to. The call is kept, so that the portal can show its card
/// (`/?call=CALL_ID`).
pub fn register_call(crm: &mut Crm, params: &Param) -> Outcome {
    let core = |why: &str| Fail::new(400, "ERROR_CORE", why);
    let user = params.get_ci("USER_ID").map(Param::intval).unwrap_or(0);
    if user <= 0 && placement_param(params, "USER_PHONE_INNER").is_empty() {
        return Err(core("USER_ID or USER_PHONE_INNER should be set."));
    }
    if user > 0 && crm.get(Kind::User, user).is_none() {
        return Err(core("User is not found or is not active."));
    }
    let kind = params.get_ci("TYPE").map(Param::intval).unwrap_or(0);
    if !(1..=5).contains(&kind) {
        return Err(core("Unknown TYPE."));
    }
    let number: String = placement_param(params, "PHONE_NUMBER").chars().filter(char::is_ascii_digit).collect();
    if number.is_empty() {
        return Err(core("Unsupported phone number format."));
    }
    let found = [Kind::Contact, Kind::Company, Kind::Lead]
        .into_iter()
        .find_map(|k| crm.find_by_comm(k, "PHONE", std::slice::from_ref(&number)).first().map(|id| (k.symbol(), *id)));
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let call_id = format!("externalCall.{}.{seconds}", crate::random::random_hex(32));
    let (entity_type, entity_id) = found.map_or((Value::Null, Value::Null), |(k, id)| (json!(k), json!(id)));
    let mut record = Map::new();
    for (key, value) in [
        ("CALL_ID", json!(call_id)),
        ("USER_ID", json!(user)),
        ("PHONE_NUMBER", json!(number)),
        ("TYPE", json!(kind)),
        ("SHOW", json!(params.get_ci("SHOW").map(Param::intval).unwrap_or(1) != 0)),
        ("LINE_NUMBER", json!(placement_param(params, "LINE_NUMBER"))),
        ("CRM_ENTITY_TYPE", entity_type.clone()),
        ("CRM_ENTITY_ID", entity_id.clone()),
    ] {
        record.insert(key.into(), value);
    }
    crm.insert(Kind::Call, record);
    Ok(Answer {
        result: json!({
            "CALL_ID": call_id, "CRM_CREATED_LEAD": null, "CRM_CREATED_ENTITIES": [],
            "CRM_ENTITY_TYPE": entity_type, "CRM_ENTITY_ID": entity_id,
        }),
        total: None,
        next: None,
        processing: 0.0,
    })
}

/// `telephony.externalCall.searchCrmEntities {PHONE_NUMBER}` → the records with that number.
pub fn search_crm_entities(crm: &Crm, params: &Param) -> Outcome {
    let number = placement_param(params, "PHONE_NUMBER");
    if number.is_empty() {
        return Err(Fail::new(400, "", "PHONE_NUMBER is not set"));
    }
    let mut found = Vec::new();
    for kind in [Kind::Contact, Kind::Company, Kind::Lead] {
        for id in crm.find_by_comm(kind, "PHONE", std::slice::from_ref(&number)) {
            let Some(r) = crm.get(kind, id) else { continue };
            let field = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            let name = match kind {
                Kind::Company => field("TITLE"),
                _ => [field("NAME"), field("LAST_NAME")].iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>().join(" "),
            };
            let assigned = field("ASSIGNED_BY_ID");
            found.push(json!({
                "CRM_ENTITY_TYPE": kind.symbol(), "CRM_ENTITY_ID": id, "ASSIGNED_BY_ID": assigned, "NAME": name,
                "ASSIGNED_BY": { "ID": assigned, "TIMEMAN_STATUS": "", "USER_PHONE_INNER": "" },
            }));
        }
    }
    Ok(Answer { result: Value::Array(found), total: None, next: None, processing: 0.0 })
}

/// An id for a record of `kind`: one past the largest, or `floor` if that is larger.
impl Crm {
    pub fn next_id(&self, kind: Kind, floor: i64) -> i64 {
        self.all(kind).iter().filter_map(id_of).max().unwrap_or(0).max(floor - 1) + 1
    }
}
