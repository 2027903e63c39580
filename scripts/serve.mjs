// A small static file server for the demo and the browser tests, on 127.0.0.1 only.
//
//   node scripts/serve.mjs [--port N] <url-prefix> <dir> [<url-prefix> <dir> ...]
//
// After listening it asks its own address for a random token, so an older server that
// still answers on the port is detected instead of silently serving stale files.
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** Serves `mounts` ({ prefix: dir }) on 127.0.0.1:`port` (0 for any free port). */
export async function startServer({ port = 0, mounts }) {
  const token = randomBytes(16).toString("hex");
  const roots = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix.endsWith("/") ? prefix : prefix + "/", resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400, { "content-type": "text/plain" });
      return void res.end("bad request");
    }
    if (path === "/__twofa_server") return void res.end(token);
    if (path === "/favicon.ico") return void res.writeHead(204).end();
    const mount = roots.find(([prefix]) => path.startsWith(prefix) || path + "/" === prefix);
    if (!mount) return void notFound(res);
    const [prefix, root] = mount;
    let file = normalize(join(root, path.slice(prefix.length)));
    if (file !== root && !file.startsWith(root + sep)) return void notFound(res);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      res.end(body);
    } catch {
      notFound(res);
    }
  });
  await new Promise((ok, fail) => {
    server.once("error", (err) =>
      fail(err.code === "EADDRINUSE" ? new Error(`port ${port} on 127.0.0.1 is already in use; stop the other server or set another port`) : err),
    );
    server.listen(port, "127.0.0.1", ok);
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  const answer = await fetch(`${url}/__twofa_server`).then((r) => r.text()).catch(() => "");
  if (answer !== token) {
    server.close();
    throw new Error(`another server answers on ${url}; stop it or set another port`);
  }
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

function notFound(res) {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let port = 8080;
  if (args[0] === "--port") [, port] = args.splice(0, 2).map(Number);
  if (args.length === 0 || args.length % 2) {
    console.error("usage: serve.mjs [--port N] <url-prefix> <dir> [...]");
    process.exit(2);
  }
  const mounts = {};
  for (let i = 0; i < args.length; i += 2) mounts[args[i]] = args[i + 1];
  const { url } = await startServer({ port, mounts });
  console.log(`twofa demo: ${url}/  (Ctrl-C to stop)`);
}
