// The edge handler's behaviour, run by `node --test` (the end-to-end tests run it; Node 20+).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import worker, { scriptJson, cacheControl } from "./worker.js";
import { directoryAssets } from "./local.mjs";

const dist = mkdtempSync(join(tmpdir(), "callcard-edge-"));
writeFileSync(join(dist, "index.html"), "<!doctype html><html><head><title>t</title></head><body></body></html>");
writeFileSync(join(dist, "callcard-0123456789abcdef_bg.wasm"), "\0asm");
const env = { ASSETS: directoryAssets(dist), PORTALS: "https://a.bitrix24.com, not an origin;" };

const post = (path, body, type = "application/x-www-form-urlencoded") =>
  worker.fetch(new Request(`https://widget.example${path}`, { method: "POST", headers: { "Content-Type": type }, body }), env);

test("a POST gets the page with the query and the form inlined", async () => {
  const res = await post("/?DOMAIN=p.example&APP_SID=s1", "AUTH_ID=tok&PLACEMENT=CALL_CARD&PLACEMENT_OPTIONS=%7B%22X%22%3A%22%3C%2Fscript%3E%22%7D");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  assert.equal(res.headers.get("Content-Security-Policy"), "frame-ancestors 'self' https://a.bitrix24.com");
  assert.equal(res.headers.get("Referrer-Policy"), "no-referrer");
  const page = await res.text();
  assert.equal(page.split("</script>").length, 2, "no value closes the element");
  const json = page.slice(page.indexOf('id="b24-launch">') + 16, page.indexOf("</script>"));
  const seed = JSON.parse(json);
  assert.equal(seed.query.DOMAIN, "p.example");
  assert.equal(seed.form.AUTH_ID, "tok");
  assert.equal(seed.form.PLACEMENT_OPTIONS, '{"X":"</script>"}');
});

test("the app's own page gets its own module, and the call card's page without one", async () => {
  const text = async (res) => (await res).text();
  assert.ok((await text(post("/", "PLACEMENT=DEFAULT"))).includes("<title>t</title>"), "no app.html: the call card's page");
  writeFileSync(join(dist, "app.html"), "<!doctype html><html><head><title>app</title></head><body></body></html>");
  const page = await text(post("/", "AUTH_ID=tok&PLACEMENT=DEFAULT"));
  assert.ok(page.includes("<title>app</title>") && page.includes('"PLACEMENT":"DEFAULT"'), page);
  assert.ok((await text(post("/", "PLACEMENT=CALL_CARD"))).includes("<title>t</title>"));
});

test("other bodies are refused", async () => {
  assert.equal((await post("/", "{}", "application/json")).status, 415);
  assert.equal((await post("/", "A=" + "a".repeat(70000))).status, 413);
});

test("GETs serve the files with their cache policy", async () => {
  const wasm = await worker.fetch(new Request("https://widget.example/callcard-0123456789abcdef_bg.wasm"), env);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get("Cache-Control"), "public, max-age=31536000, immutable");
  const page = await worker.fetch(new Request("https://widget.example/"), env);
  assert.equal(page.headers.get("Cache-Control"), "no-cache");
  assert.ok(!(await page.text()).includes("b24-launch"));
  assert.equal((await worker.fetch(new Request("https://widget.example/nothing.js"), env)).status, 404);
});

test("helpers", () => {
  assert.equal(scriptJson({ a: "</script>\u2028&" }), '{"a":"\\u003c/script\\u003e\\u2028\\u0026"}');
  assert.equal(cacheControl("/main-9c84c53b1eab014e.css"), "public, max-age=31536000, immutable");
  assert.equal(cacheControl("/index.html"), "no-cache");
});
