// The thin handler as an edge function, in the module syntax of Cloudflare Workers. It uses
// only Web-standard Request and Response, so other edge runtimes (Deno Deploy, Vercel or
// Netlify edge functions) take it with their own few lines of wiring.
//
// Bitrix24 opens the call card tab by POSTing its launch form to the handler URL. This function
// answers that POST with the widget's index.html (app.html, the app's own page, when the form's
// PLACEMENT is DEFAULT), the launch fields inlined as JSON (the widget
// reads them at once instead of waiting for the portal frame) and the card's texts in the posted
// language (no request before its first words; `texts.json` says which file is which
// language's), and passes every other request
// to the static files (env.ASSETS: `make dist`'s output). It keeps and logs nothing: the form
// carries the portal's tokens.
//
// env.PORTALS: the portal origins allowed to frame the widget, separated by commas
// ("https://your-company.bitrix24.com"); empty: any page may frame it.

const LAUNCH_ELEMENT_ID = "b24-launch";
// The element the widget reads a language's texts from; `data-file` names the table it holds,
// which the widget checks is the one its module was built with.
const TEXTS_ELEMENT_ID = "callcard-texts";
const TABLES_INDEX = "/texts.json";
const BODY_LIMIT = 64 * 1024;

/** JSON that no value can break out of inside a <script> element. */
export function scriptJson(value) {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** Content-hashed assets are kept for a year; the page is revalidated every time. */
export function cacheControl(path) {
  return /-[0-9a-f]{8,}(_bg)?\.(js|wasm|css|json)$/.test(path) ? "public, max-age=31536000, immutable" : "no-cache";
}

/** A static file's JSON, or undefined when it is missing or no JSON. */
async function assetJson(env, url) {
  try {
    const file = await env.ASSETS.fetch(new Request(url));
    return file.ok ? await file.json() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The card's texts in `lang` (the portal's code: `de`, `DE`) as their script element; "" for
 * English (the module's own), an unknown language, or a table missing or not JSON: the card
 * then fetches its table itself, as from any static host.
 */
export async function textsElement(lang, url, env) {
  const code = String(lang ?? "").trim().toLowerCase();
  if (!/^[a-z]+$/.test(code)) return "";
  const index = await assetJson(env, new URL(TABLES_INDEX, url));
  const file = index && typeof index === "object" && Object.hasOwn(index, code) ? index[code] : undefined;
  // The name goes into an attribute: nothing but the build's own spelling.
  if (typeof file !== "string" || !/^texts-[a-z]+-[0-9a-f]{8,}\.json$/.test(file)) return "";
  const table = await assetJson(env, new URL("/" + file, url));
  if (table === undefined) return "";
  return `<script type="application/json" id="${TEXTS_ELEMENT_ID}" data-file="${file}">${scriptJson(table)}</script>`;
}

function securityHeaders(headers, env) {
  headers.set("Referrer-Policy", "no-referrer");
  headers.set("X-Content-Type-Options", "nosniff");
  const portals = String(env.PORTALS || "").split(",").map((s) => s.trim()).filter((s) => /^https?:\/\/[a-z0-9.*:-]+$/i.test(s));
  if (portals.length > 0) headers.set("Content-Security-Policy", `frame-ancestors 'self' ${portals.join(" ")}`);
  return headers;
}

function refuse(status, text, env) {
  return new Response(text, { status, headers: securityHeaders(new Headers({ "Content-Type": "text/plain; charset=utf-8" }), env) });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const isPage = url.pathname === "/" || url.pathname === "/index.html";
    if (request.method !== "POST" || !isPage) {
      const file = await env.ASSETS.fetch(request);
      const headers = securityHeaders(new Headers(file.headers), env);
      if (file.ok) headers.set("Cache-Control", cacheControl(url.pathname));
      return new Response(file.body, { status: file.status, headers });
    }
    if (!(request.headers.get("Content-Type") || "").startsWith("application/x-www-form-urlencoded")) {
      return refuse(415, "The launch form must be application/x-www-form-urlencoded.", env);
    }
    const body = await request.text();
    if (body.length > BODY_LIMIT) return refuse(413, "The launch form is too large.", env);

    // A repeated name keeps its last value, as PHP reads it on the portal's side.
    const seed = { query: Object.fromEntries(url.searchParams), form: Object.fromEntries(new URLSearchParams(body)) };
    // The app's own page is a module of its own, which the call card never loads.
    const appPage = seed.form.PLACEMENT === "DEFAULT";
    const name = appPage ? "/app.html" : "/index.html";
    let page = await env.ASSETS.fetch(new Request(new URL(name, url)));
    if (!page.ok && name !== "/index.html") page = await env.ASSETS.fetch(new Request(new URL("/index.html", url)));
    if (!page.ok) return refuse(502, "The widget's index.html is missing from the static files.", env);
    const html = await page.text();
    const head = html.indexOf("</head>");
    const at = head >= 0 ? head : html.indexOf("<body");
    if (at < 0) return refuse(502, "The widget's index.html has neither </head> nor <body>.", env);
    let launch = `<script type="application/json" id="${LAUNCH_ELEMENT_ID}">${scriptJson(seed)}</script>`;
    if (!appPage) launch += await textsElement(seed.form.LANG ?? seed.query.LANG, url, env);
    const headers = securityHeaders(new Headers({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }), env);
    return new Response(html.slice(0, at) + launch + html.slice(at), { status: 200, headers });
  },
};
