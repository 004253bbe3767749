//! The CRM's file fields: a contact's `PHOTO`, a company's `LOGO`.
//!
//! The records store the file's id (the portal's `b_file` id, an integer column). REST replies
//! give a file field as `{id, showUrl, downloadUrl}` (the docs' lead-with-files tutorial; a
//! company's `LOGO` the same way, `dynamic=N` for a field of the entity itself): `showUrl` needs
//! the user's portal session, `downloadUrl` carries the request's own access token in `auth`
//! (empty for a webhook), so an app can show the file without a session.
//!
//! The component's `show_file.php` (crm's `install/components/bitrix/crm.*.show/show_file.php`)
//! hands the token to `CCrmFileProxy::WriteFileToResponse` (crm's
//! `classes/general/file_proxy.php`): a token that `CRestUtil::checkAuth` does not accept for the
//! `crm` scope, or no token and no session, answers the text `Access denied.`; a file id that is
//! not the record's field value, or a file that no longer exists, `File not found`. Both are
//! HTTP 200 pages of text, not images. A found file goes out as a download (`force_download`).

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::Arc;

use crate::crm::Kind;
use crate::params::{parse_query, Param};
use crate::state::{lock, Sandbox};

/// The file fields of the records the sandbox keeps, with the kind that owns them and the
/// component whose `show_file.php` serves them.
const FILE_FIELDS: &[(&str, Kind, &str)] = &[("PHOTO", Kind::Contact, "crm.contact.show"), ("LOGO", Kind::Company, "crm.company.show")];

/// Every file field in a REST result (a record, a list, a batch of them) as the portal gives it:
/// the id becomes `{id, showUrl, downloadUrl}`; an empty field stays empty.
pub(crate) fn externalise(result: &mut Value, token: &str) {
    match result {
        Value::Array(items) => items.iter_mut().for_each(|v| externalise(v, token)),
        Value::Object(record) => {
            let owner = record.get("ID").and_then(|v| v.as_str().map(String::from).or_else(|| v.as_i64().map(|n| n.to_string())));
            for (field, _, component) in FILE_FIELDS {
                let file = record.get(*field).and_then(file_id);
                if let (Some(owner), Some(file)) = (&owner, file.filter(|f| *f > 0)) {
                    let query = format!("ownerId={owner}&fieldName={field}&dynamic=N&fileId={file}");
                    record.insert(
                        (*field).to_string(),
                        json!({
                            "id": file,
                            "showUrl": format!("/bitrix/components/bitrix/{component}/show_file.php?{query}"),
                            "downloadUrl": format!("/bitrix/components/bitrix/{component}/show_file.php?auth={token}&{query}"),
                        }),
                    );
                }
            }
            record.values_mut().filter(|v| v.is_array() || v.is_object()).for_each(|v| externalise(v, token));
        }
        _ => {}
    }
}

/// A file field's stored id (a number, or its digits as text).
fn file_id(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| value.as_str().and_then(|s| s.parse().ok()))
}

/// `/bitrix/components/bitrix/{component}/show_file.php?auth&ownerId&fieldName&dynamic&fileId`.
pub(crate) async fn show_file(State(sb): State<Arc<Sandbox>>, Path(component): Path<String>, RawQuery(query): RawQuery) -> Response {
    let params = parse_query(query.as_deref().unwrap_or_default());
    let text = |s: &str| params.get(s).and_then(Param::as_str).unwrap_or_default().to_string();
    // No token: the user's portal session would be asked, and the sandbox's browser has none.
    let (session, allowed) = sb.authorise(&params);
    let crm_scope = session.as_ref().is_none_or(|s| s.scenario.scopes.is_none_or(|scopes| scopes.contains(&"crm")));
    if allowed.is_err() || !crm_scope {
        return page("Access denied.");
    }
    let Some(&(field, kind, _)) = FILE_FIELDS.iter().find(|(f, _, c)| *c == component && *f == text("fieldName")) else {
        return page("File not found");
    };
    let (owner, file) = (text("ownerId").parse::<i64>().unwrap_or(0), text("fileId").parse::<i64>().unwrap_or(0));
    let stored = lock(&sb.crm).get(kind, owner).and_then(|r| r.get(field)).and_then(file_id);
    if owner <= 0 || file <= 0 || stored != Some(file) {
        return page("File not found");
    }
    // The files themselves: `files/<id>.<ext>` beside the data set.
    let dir = sb.config.data.join("files");
    for (ext, mime) in [("svg", "image/svg+xml"), ("png", "image/png"), ("jpg", "image/jpeg")] {
        if let Ok(bytes) = std::fs::read(dir.join(format!("{file}.{ext}"))) {
            let mut response = (StatusCode::OK, bytes).into_response();
            let h = response.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
            if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{file}.{ext}\"")) {
                h.insert(header::CONTENT_DISPOSITION, disposition);
            }
            return response;
        }
    }
    page("File not found")
}

/// What `show_file.php` prints for its errors: the text, in the site's page.
fn page(error: &str) -> Response {
    let mut response = (StatusCode::OK, error.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=UTF-8"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_fields_become_the_portals_file_objects_with_the_token() {
        let mut reply = json!({"result": {"c": [{"ID": "1", "PHOTO": 4001}, {"ID": "2", "PHOTO": ""}], "k": [{"ID": "3", "LOGO": "4003"}]}});
        externalise(&mut reply, "tok");
        assert_eq!(
            reply["result"]["c"][0]["PHOTO"],
            json!({
                "id": 4001,
                "showUrl": "/bitrix/components/bitrix/crm.contact.show/show_file.php?ownerId=1&fieldName=PHOTO&dynamic=N&fileId=4001",
                "downloadUrl": "/bitrix/components/bitrix/crm.contact.show/show_file.php?auth=tok&ownerId=1&fieldName=PHOTO&dynamic=N&fileId=4001",
            })
        );
        assert_eq!(reply["result"]["c"][1]["PHOTO"], json!(""));
        assert_eq!(reply["result"]["k"][0]["LOGO"]["id"], json!(4003));
    }
}
