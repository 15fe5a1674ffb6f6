/**
 * A self-contained API reference: it reads /openapi.json in the browser, lists every
 * operation with its parameters, body and responses, and can send a request ("Try it").
 * No CDN: the page works offline and from any deployment.
 */
export function docsPage(specUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2433;background:#f7f8fa}
header{background:#1d2433;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
details{background:#fff;border:1px solid #dde1e8;border-radius:6px;margin:8px 0}
summary{cursor:pointer;padding:10px 14px;display:flex;gap:12px;align-items:center}
.m{font:600 12px monospace;padding:2px 8px;border-radius:4px;color:#fff;min-width:52px;text-align:center}
.get{background:#2f7d32}.post{background:#1565c0}.patch{background:#8e5a00}.put{background:#6a1b9a}.delete{background:#b71c1c}
.path{font-family:monospace}.body{padding:0 14px 14px}pre{background:#f0f2f5;padding:8px;overflow:auto;border-radius:4px;font-size:13px}
input,textarea{font:13px monospace;width:100%;box-sizing:border-box;padding:4px}textarea{min-height:90px}
button{margin-top:8px;padding:6px 14px;border:0;border-radius:4px;background:#1565c0;color:#fff;cursor:pointer}
h2{margin-top:28px;font-size:17px;text-transform:capitalize}.muted{color:#69707d}
</style></head>
<body><header><h1 id="title">API reference</h1><div id="desc" class="muted"></div></header>
<main><label>Authorization (sent as <code>Bearer …</code>)<input id="token" placeholder="API key or admin token"></label>
<div id="ops">Loading ${specUrl} …</div></main>
<script>
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (ch) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[ch]));
const deref = (spec, s) => { while (s && s.$ref) s = s.$ref.split("/").slice(1).reduce((o, k) => o[k], spec); return s; };
fetch(${JSON.stringify(specUrl)}).then((r) => r.json()).then((spec) => {
  document.getElementById("title").textContent = spec.info.title + " " + spec.info.version;
  document.getElementById("desc").textContent = spec.info.description || "";
  const groups = {};
  for (const [path, item] of Object.entries(spec.paths || {})) for (const [method, op] of Object.entries(item)) {
    const tag = (op.tags && op.tags[0]) || "other"; (groups[tag] ||= []).push({ path, method, op });
  }
  const root = document.getElementById("ops"); root.innerHTML = "";
  for (const [tag, ops] of Object.entries(groups)) {
    root.insertAdjacentHTML("beforeend", "<h2>" + esc(tag) + "</h2>");
    for (const { path, method, op } of ops) {
      const id = method + path.replace(/\\W/g, "_");
      const params = (op.parameters || []).map((p) => deref(spec, p));
      const bodySchema = op.requestBody && deref(spec, op.requestBody.content?.["application/json"]?.schema);
      const responses = Object.entries(op.responses || {}).map(([code, r]) => "<li><b>" + code + "</b> " + esc(deref(spec, r).description) + "</li>").join("");
      root.insertAdjacentHTML("beforeend", '<details><summary><span class="m ' + method + '">' + method.toUpperCase() + '</span><span class="path">' + esc(path) + '</span><span class="muted">' + esc(op.summary) + '</span></summary><div class="body">'
        + (op.description ? "<p>" + esc(op.description) + "</p>" : "")
        + params.map((p) => '<label>' + esc(p.in) + ' <b>' + esc(p.name) + '</b>' + (p.required ? " *" : "") + ' <span class="muted">' + esc(p.description) + '</span><input data-in="' + esc(p.in) + '" data-name="' + esc(p.name) + '"></label>').join("")
        + (bodySchema ? "<p>JSON body</p><pre>" + esc(JSON.stringify(bodySchema, null, 2)) + '</pre><textarea data-body></textarea>' : "")
        + "<p>Responses</p><ul>" + responses + "</ul>"
        + '<button data-try="' + id + '">Try it</button><pre id="out-' + id + '" hidden></pre></div></details>');
      root.querySelector('[data-try="' + id + '"]').onclick = async (ev) => {
        const box = ev.target.closest(".body"); let url = path; const q = new URLSearchParams(); const headers = {};
        for (const input of box.querySelectorAll("input[data-in]")) { const v = input.value; if (!v) continue;
          if (input.dataset.in === "path") url = url.replace("{" + input.dataset.name + "}", encodeURIComponent(v));
          else if (input.dataset.in === "query") q.set(input.dataset.name, v); else headers[input.dataset.name] = v; }
        const token = document.getElementById("token").value; if (token) headers.Authorization = "Bearer " + token;
        const bodyEl = box.querySelector("textarea[data-body]"); const init = { method: method.toUpperCase(), headers };
        if (bodyEl && bodyEl.value) { init.body = bodyEl.value; headers["Content-Type"] = "application/json"; }
        const res = await fetch(url + (q.size ? "?" + q : ""), init); const text = await res.text();
        const out = document.getElementById("out-" + id); out.hidden = false;
        let shown = text; try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
        out.textContent = res.status + " " + res.statusText + "\\n" + shown;
      };
    }
  }
}).catch((e) => { document.getElementById("ops").textContent = "Could not load the API description: " + e; });
</script></body></html>`;
}
