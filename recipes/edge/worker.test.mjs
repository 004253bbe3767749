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

test("the call card gets the posted language's texts inlined, as texts.json names their file", async () => {
  const texts = (page) => page.match(/<script type="application\/json" id="callcard-texts" data-file="([^"]*)">(.*?)<\/script>/);
  writeFileSync(join(dist, "texts-ru-0123456789abcdef.json"), '["Ищем \\u003c/script\\u003eзвонящего…"]');
  writeFileSync(join(dist, "texts-de-89abcdef01234567.json"), '["Anrufer wird gesucht…"]');
  writeFileSync(join(dist, "texts-tr-0123456789abcdef.json"), "no json");
  writeFileSync(
    join(dist, "texts.json"),
    JSON.stringify({ ru: "texts-ru-0123456789abcdef.json", de: "texts-de-89abcdef01234567.json", tr: "texts-tr-0123456789abcdef.json", pl: 'texts-pl-x"onload=1.json' }),
  );
  const page = await (await post("/?LANG=de", "AUTH_ID=tok&LANG=ru&PLACEMENT=CALL_CARD")).text();
  const [, file, json] = texts(page);
  assert.equal(file, "texts-ru-0123456789abcdef.json", "the form's LANG before the query's");
  assert.deepEqual(JSON.parse(json), ["Ищем </script>звонящего…"]);
  assert.equal(page.split("</script>").length, 3, "nothing in a table closes its element");
  assert.equal(texts(await (await post("/?LANG=DE", "PLACEMENT=CALL_CARD")).text())[1], "texts-de-89abcdef01234567.json");
  // English (the module's own), an unknown language, a table that is no JSON, a name that is
  // not the build's, the app's page: nothing inlined, the card fetches its own.
  for (const [query, form] of [["/?LANG=en", ""], ["/?LANG=xx", ""], ["/", "LANG=tr"], ["/", "LANG=pl"], ["/", "LANG=__proto__"], ["/?LANG=ru", "PLACEMENT=DEFAULT"]]) {
    assert.ok(!(await (await post(query, form)).text()).includes("callcard-texts"), `${query} ${form}`);
  }
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
