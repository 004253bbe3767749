//! The browser side of REST: one form-encoded POST per call, straight to the portal.
//!
//! Form encoding keeps the request "simple" for CORS (no preflight; the portal allows only the
//! `origin`, `content-type` and `accept` headers). The token travels in the body, never in the URL
//! or a header, so it does not end up in access logs.

use gloo_net::http::Request;
use serde_json::Value;

use super::batch::{Batch, BatchReply};
use super::envelope::{self, RestError, Success};
use super::form;
use super::AccessToken;
use crate::launch::Portal;

/// A REST client for one portal and one token.
#[derive(Clone, Debug)]
pub struct RestClient {
    portal: Portal,
    token: AccessToken,
}

impl RestClient {
    pub fn new(portal: Portal, token: AccessToken) -> RestClient {
        RestClient { portal, token }
    }

    /// Calls one method.
    pub async fn call(&self, method: &str, params: &Value) -> Result<Success, RestError> {
        self.post(method, form::encode(params)).await
    }

    /// Runs a batch: one request, whatever the number of commands.
    pub async fn batch(&self, batch: &Batch) -> Result<BatchReply, RestError> {
        let reply = self.post("batch", batch.form_body()).await?;
        BatchReply::parse(&reply.result).map_err(|_| RestError::Malformed { status: 200 })
    }

    /// POSTs a form body with the token appended.
    async fn post(&self, method: &str, mut body: String) -> Result<Success, RestError> {
        if !body.is_empty() {
            body.push('&');
        }
        body.push_str("auth=");
        body.push_str(&form::escape(self.token.expose()));

        let request = Request::post(&self.portal.rest_url(method))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .map_err(|e| RestError::Network(e.to_string()))?;
        let response = request.send().await.map_err(|e| RestError::Network(e.to_string()))?;
        let status = response.status();
        let text = response.text().await.map_err(|_| RestError::Malformed { status })?;
        envelope::parse(status, &text)
    }
}
