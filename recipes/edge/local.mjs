// Runs worker.js under Node (20+) with the static files from a directory, to try the edge
// handler locally and to test it in a browser:
//
//   node recipes/edge/local.mjs --dist dist --listen 127.0.0.1:8787 [--portals https://a.bitrix24.com]
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import worker from "./worker.js";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };

/** The platform's asset binding, over a directory: GET and HEAD of files, 405 otherwise. */
export function directoryAssets(dir) {
  return {
    async fetch(request) {
      if (request.method !== "GET" && request.method !== "HEAD") return new Response(null, { status: 405 });
      let path = decodeURIComponent(new URL(request.url).pathname);
      if (path.endsWith("/")) path += "index.html";
      const file = normalize(join(dir, path));
      if (!file.startsWith(normalize(dir))) return new Response(null, { status: 404 });
      try {
        const body = await readFile(file);
        return new Response(body, { headers: { "Content-Type": TYPES[extname(file)] || "application/octet-stream" } });
      } catch {
        return new Response("Not found", { status: 404 });
      }
    },
  };
}

/** Serves `worker` on `listen` (host:port); resolves to the server once it listens. */
export function serve(env, listen) {
  const [host, port] = listen.split(":");
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = ["GET", "HEAD"].includes(req.method) ? undefined : Buffer.concat(chunks);
    const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers, body });
    const response = await worker.fetch(request, env);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((resolve) => server.listen(Number(port), host, () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const listen = arg("--listen", "127.0.0.1:8787");
  await serve({ ASSETS: directoryAssets(arg("--dist", "dist")), PORTALS: arg("--portals", "") }, listen);
  console.log(`edge handler: http://${listen}/`);
}
