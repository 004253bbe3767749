//! The two conversions leptos' `server_fn` asks of `wasm-streams`: a web `ReadableStream` read
//! as a Rust `Stream` (a streamed response), and a Rust `Stream` offered as a web
//! `ReadableStream` (a streamed request body).
//!
//! Why the widget has its own: leptos links `server_fn`'s browser client whether or not an app
//! calls server functions (the call card calls none), and the `wasm-streams` crate exports three
//! JavaScript classes, its underlying sources and sink. An export is kept by wasm-bindgen
//! whatever uses it, so their code and glue (about 10 KB of the module before compression) were
//! in every call card. Here the source is a plain JavaScript object whose `pull` is a Rust
//! closure, and reading uses the stream's default reader: no exported class. The API is the
//! subset `server_fn` uses, with the same names and types.

use futures_util::stream::{Stream, StreamExt};
use js_sys::{Object, Promise, Reflect};
use std::cell::RefCell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{ReadableStreamDefaultController, ReadableStreamDefaultReader};

pub mod readable {
    pub use super::{IntoStream, ReadableStream};
}

/// A web `ReadableStream`.
#[derive(Debug)]
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    pub fn from_raw(raw: web_sys::ReadableStream) -> ReadableStream {
        ReadableStream { raw }
    }

    /// A web stream whose chunks are `stream`'s items; an `Err` item errors the web stream.
    /// The web stream asks for the next chunk only once the last one is in, so the Rust stream
    /// is never polled from two places.
    pub fn from_stream<St>(stream: St) -> ReadableStream
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let pending: Rc<RefCell<Option<Pin<Box<St>>>>> = Rc::new(RefCell::new(Some(Box::pin(stream))));
        let pull = Closure::<dyn FnMut(ReadableStreamDefaultController) -> Promise>::new(move |controller: ReadableStreamDefaultController| {
            let pending = pending.clone();
            future_to_promise(async move {
                // Taken out while it is polled, put back for the next pull; gone once ended.
                let Some(mut stream) = pending.borrow_mut().take() else { return Ok(JsValue::UNDEFINED) };
                match stream.next().await {
                    Some(Ok(chunk)) => {
                        controller.enqueue_with_chunk(&chunk)?;
                        *pending.borrow_mut() = Some(stream);
                    }
                    Some(Err(error)) => controller.error_with_e(&error),
                    None => controller.close()?,
                }
                Ok(JsValue::UNDEFINED)
            })
        });
        let source = Object::new();
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&source, &JsValue::from_str("pull"), &pull.into_js_value());
        // Fails only for a source the browser refuses, which a plain object with `pull` is not;
        // then an empty stream stands in.
        let raw = web_sys::ReadableStream::new_with_underlying_source(&source).or_else(|_| web_sys::ReadableStream::new());
        ReadableStream { raw: raw.unwrap_or_else(|_| JsValue::UNDEFINED.unchecked_into()) }
    }

    pub fn as_raw(&self) -> &web_sys::ReadableStream {
        &self.raw
    }

    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// The stream's chunks as a Rust stream, through its default reader (which locks it).
    pub fn into_stream(self) -> IntoStream<'static> {
        let reader = self.raw.get_reader().unchecked_into::<ReadableStreamDefaultReader>();
        IntoStream { reader: Some(reader), read: None, lifetime: PhantomData }
    }
}

/// The chunks of a web stream: `Ok` for each, `Err` if the stream errors, then the end.
#[must_use = "streams do nothing unless polled"]
#[derive(Debug)]
pub struct IntoStream<'reader> {
    /// `None` once the stream ended or failed.
    reader: Option<ReadableStreamDefaultReader>,
    read: Option<JsFuture>,
    lifetime: PhantomData<&'reader ()>,
}

impl Stream for IntoStream<'_> {
    type Item = Result<JsValue, JsValue>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(reader) = &this.reader else { return Poll::Ready(None) };
        let read = this.read.get_or_insert_with(|| JsFuture::from(reader.read()));
        let outcome = match Pin::new(read).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(outcome) => outcome,
        };
        this.read = None;
        match outcome {
            Ok(result) => {
                let done = Reflect::get(&result, &JsValue::from_str("done")).ok().and_then(|d| d.as_bool()).unwrap_or(true);
                if done {
                    this.reader = None;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Reflect::get(&result, &JsValue::from_str("value"))))
            }
            Err(error) => {
                this.reader = None;
                Poll::Ready(Some(Err(error)))
            }
        }
    }
}

impl Drop for IntoStream<'_> {
    /// Lets the web stream go, as the crate's own reader does when dropped.
    fn drop(&mut self) {
        if let Some(reader) = self.reader.take() {
            let _ = reader.cancel();
        }
    }
}
