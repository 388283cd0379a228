/* The API reference: this server's own OpenAPI document, drawn as tables (no outside assets). */
"use strict";
(async () => {
  const root = document.getElementById("api");
  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  };
  const typeOf = (schema) => {
    if (!schema) return "";
    if (schema.anyOf) return schema.anyOf.map(typeOf).filter((t) => t !== "null").join(" | ");
    if (schema.enum) return schema.enum.join(" | ");
    if (schema.$ref) return schema.$ref.split("/").pop();
    let t = schema.type || "";
    if (schema.format) t += ` (${schema.format})`;
    if (schema.pattern) t += ` matching ${schema.pattern}`;
    const bounds = [["minimum", "≥"], ["maximum", "≤"], ["maxLength", "length ≤"]].filter(([k]) => k in schema);
    if (bounds.length) t += " " + bounds.map(([k, s]) => `${s} ${schema[k]}`).join(", ");
    return t;
  };
  const spec = await (await fetch("/openapi.json")).json();
  root.appendChild(el("h1", `${spec.info.title} API ${spec.info.version}`));
  root.appendChild(el("p", spec.info.description, "muted"));
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const box = el("div", undefined, "panel");
      box.dataset.operation = `${method.toUpperCase()} ${path}`;
      box.appendChild(el("h2", `${method.toUpperCase()} ${path}`));
      box.appendChild(el("p", op.description || op.summary || ""));
      const params = op.parameters || [];
      if (params.length) {
        const table = el("table");
        const head = el("tr");
        for (const h of ["parameter", "in", "type", "default", "meaning"]) head.appendChild(el("th", h));
        table.appendChild(head);
        for (const p of params) {
          const row = el("tr");
          const s = p.schema || {};
          for (const cell of [p.name + (p.required ? " *" : ""), p.in, typeOf(s), s.default ?? "", p.description || s.description || ""]) {
            row.appendChild(el("td", cell));
          }
          table.appendChild(row);
        }
        box.appendChild(table);
      }
      if (op.requestBody) {
        const schema = op.requestBody.content["application/json"].schema;
        box.appendChild(el("p", `body: ${typeOf(schema)} (JSON)`, "muted"));
      }
      const codes = Object.entries(op.responses || {}).map(([code, r]) => `${code} ${r.description}`);
      box.appendChild(el("p", `answers: ${codes.join(" · ")}`, "muted"));
      root.appendChild(box);
    }
  }
})();
