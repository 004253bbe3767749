//! `/rest/METHOD.json`: the portal's REST endpoint. Authorisation, limits, the scenario's faults,
//! the portal's own time, the reply (or the HTML page a failing portal or proxy sends) and the
//! request log.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::outcome::{Fail, Fault, Policy};
use crate::params::{parse_json, parse_query, Param};
use crate::rest;
use crate::server_time::{self, ServerTime};
use crate::state::{lock, LoggedRequest, Sandbox};
use crate::time;

/// `/rest/METHOD.json`: GET query, form or JSON body, as the portal accepts them.
pub(crate) async fn rest_endpoint(
    State(sb): State<Arc<Sandbox>>,
    method: Method,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method == Method::OPTIONS {
        return with_cors(StatusCode::OK, Value::Null);
    }
    let name = name.strip_suffix(".json").unwrap_or(&name).to_string();
    let mut params = parse_query(query.as_deref().unwrap_or_default());
    // The body is read as its Content-Type says: PHP fills `$_POST` (and so `$_REQUEST`, which
    // `CRestServer` reads) only from a form body, and the portal reads JSON when the type says
    // JSON. Any other body (`text/plain`, the browser's type for a bare string, or none) is
    // ignored, so its parameters and token are not there (FIDELITY.md, "The REST transport").
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
    let body_params = if body.is_empty() {
        Ok(Param::default())
    } else if content_type.starts_with("application/json") {
        parse_json(&String::from_utf8_lossy(&body)).map_err(|_| ())
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        Ok(parse_query(&String::from_utf8_lossy(&body)))
    } else {
        Ok(Param::default())
    };
    let Ok(body_params) = body_params else {
        let fail = Fail::new(400, "INVALID_REQUEST", "Invalid JSON body");
        return with_cors(StatusCode::BAD_REQUEST, fail.body());
    };
    params.merge(body_params);

    let (session, allowed) = sb.authorise(&params);
    if let Some(s) = &session {
        if !s.pace.latency.is_zero() {
            tokio::time::sleep(s.pace.latency).await;
        }
    }
    // The portal's own time runs from here: the network's share is spent.
    let started = Instant::now();
    let started_unix = time::now();
    let sid = session.as_ref().map(|s| s.app_sid.clone());
    let server = session.as_ref().map_or(ServerTime::Instant, |s| s.pace.server);
    let policy = session
        .as_ref()
        .map(|s| Policy { faults: s.scenario.faults, scopes: s.scenario.scopes, admin: s.scenario.admin, server_time: server })
        .unwrap_or_default();
    // A proxy in front of the portal fails before the portal sees anything.
    for fault in policy.faults {
        match *fault {
            Fault::Html { status } => return html_failure(&sb, &name, sid, status),
            Fault::Hang { secs } => {
                tokio::time::sleep(Duration::from_secs(secs)).await;
                return html_failure(&sb, &name, sid, 504);
            }
            Fault::Error { .. } | Fault::Fatal { .. } | Fault::SlowBodyOnce { .. } => {}
        }
    }
    let limited = allowed
        .and_then(|()| sb.admit(sid.as_deref().unwrap_or_default(), &name))
        .and_then(|()| sb.transient_failure(sid.as_deref().unwrap_or_default(), &name));
    // A request refused before its method runs (token, request rate, time budget) costs only
    // the request's own time.
    let refused = limited.is_err();
    let outcome = limited.and_then(|()| {
        let mut crm = lock(&sb.crm);
        if name.eq_ignore_ascii_case("batch") {
            rest::batch(&mut crm, &params, policy)
        } else {
            rest::call(&mut crm, &name, &params, policy)
        }
    });
    // The portal's time: its start-up, then the method (a batch: its commands one by one).
    let processing = match &outcome {
        _ if refused => 0.0,
        Ok(answer) if name.eq_ignore_ascii_case("batch") => answer.processing,
        _ => server.processing_secs(&name),
    };
    let duration = server.request_secs() + processing;
    let remaining = Duration::from_secs_f64(duration).saturating_sub(started.elapsed());
    if !remaining.is_zero() {
        tokio::time::sleep(remaining).await;
    }
    let mut operating = (0.0, 600.0);
    if let Some(sid) = &sid {
        if let Some(budget) = lock(&sb.budgets).get_mut(sid) {
            let method = name.to_ascii_lowercase();
            let spent = started.elapsed().max(Duration::from_secs_f64(processing));
            budget.charge(&method, spent, Instant::now());
            operating = budget.report(&method, Instant::now());
        }
    }
    let time_block = server_time::block(
        started_unix,
        started.elapsed().as_secs_f64().max(duration),
        processing.max(0.0001),
        operating.0,
        (time::now() + operating.1) as i64,
    );
    if let Err(fail) = &outcome {
        if fail.fatal {
            return fatal_failure(&sb, &name, sid, &params);
        }
    }
    let (status, body) = match outcome {
        Ok(mut answer) => {
            let token = params.get("auth").and_then(Param::as_str).unwrap_or_default();
            crate::files::externalise(&mut answer.result, token);
            let mut body = json!({ "result": answer.result, "time": time_block });
            if let Some(total) = answer.total {
                body["total"] = json!(total);
            }
            if let Some(next) = answer.next {
                body["next"] = json!(next);
            }
            (200, body)
        }
        Err(fail) => (fail.status, fail.body()),
    };

    let mut logged = params.to_json();
    if let Some(obj) = logged.as_object_mut() {
        obj.remove("auth");
    }
    lock(&sb.requests).push(LoggedRequest {
        session: session.map(|s| s.app_sid),
        method: name,
        params: logged,
        at_ms: sb.elapsed_ms(),
        status,
        server_ms: duration * 1000.0,
    });
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let slow = policy.faults.iter().find_map(|f| match f {
        Fault::SlowBodyOnce { secs } => Some(*secs),
        _ => None,
    });
    if let (Some(secs), Some(sid)) = (slow, &sid) {
        if lock(&sb.slowed).insert(sid.clone()) {
            return late_body(status, body, Duration::from_secs(secs));
        }
    }
    with_cors(status, body)
}

/// A reply whose status and headers go out at once and whose body follows `delay` later.
fn late_body(status: StatusCode, body: Value, delay: Duration) -> Response {
    let text = body.to_string();
    let stream = futures_util::stream::once(async move {
        tokio::time::sleep(delay).await;
        Ok::<_, std::convert::Infallible>(Bytes::from(text))
    });
    let mut response = (status, axum::body::Body::from_stream(stream)).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// An HTML error page instead of the portal's JSON, logged like any request.
fn html_failure(sb: &Sandbox, name: &str, session: Option<String>, status: u16) -> Response {
    lock(&sb.requests).push(LoggedRequest { session, method: name.to_string(), params: Value::Null, at_ms: sb.elapsed_ms(), status, server_ms: 0.0 });
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let page = format!("<html><head><title>{code}</title></head><body><h1>{code}</h1><hr>nginx</body></html>");
    let mut response = (code, Html(page)).into_response();
    response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// An uncaught PHP error: HTTP 500 with the portal's generic text instead of a JSON envelope.
/// The web server still adds the REST endpoint's CORS header, so the browser lets the app see it.
fn fatal_failure(sb: &Sandbox, name: &str, session: Option<String>, params: &Param) -> Response {
    let mut logged = params.to_json();
    if let Some(obj) = logged.as_object_mut() {
        obj.remove("auth");
    }
    lock(&sb.requests).push(LoggedRequest { session, method: name.to_string(), params: logged, at_ms: sb.elapsed_ms(), status: 500, server_ms: 0.0 });
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, Html(crate::outcome::FATAL_PAGE)).into_response();
    response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// The portal's CORS: any origin, and only the simple headers.
fn with_cors(status: StatusCode, body: Value) -> Response {
    let mut response = if body.is_null() { status.into_response() } else { (status, Json(body)).into_response() };
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("origin, content-type, accept"));
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
    response
}
