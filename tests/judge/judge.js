// Judge many sources in one process: the TypeScript compiler's parser and Babel's.
// stdin: a JSON array of [name, text]; the name's extension picks the dialect (`x.d.ts` is a
// declaration file). stdout: a JSON array, per source, of {ts: [...], babel: [...] | null},
// each a list of "line:column: message" diagnostics (1-based); Babel judges JavaScript only.
"use strict";
const ts = require("typescript");
const babel = require("@babel/parser");

const KINDS = {
  ".ts": ts.ScriptKind.TS, ".mts": ts.ScriptKind.TS, ".cts": ts.ScriptKind.TS,
  ".tsx": ts.ScriptKind.TSX, ".jsx": ts.ScriptKind.JSX,
  ".js": ts.ScriptKind.JS, ".mjs": ts.ScriptKind.JS, ".cjs": ts.ScriptKind.JS,
};

function extension(name) {
  const match = /\.[a-z]+$/i.exec(name);
  return match ? match[0].toLowerCase() : "";
}

function typescript(name, text) {
  const kind = KINDS[extension(name)];
  if (kind === undefined) throw new Error(`no dialect for ${name}`);
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false, kind);
  return file.parseDiagnostics.map((d) => {
    const at = file.getLineAndCharacterOfPosition(d.start);
    return `${at.line + 1}:${at.character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}

function javascript(name, text) {
  const ext = extension(name);
  if (![".js", ".jsx", ".mjs", ".cjs"].includes(ext)) return null;
  const sourceType = ext === ".mjs" ? "module" : ext === ".cjs" ? "script" : "unambiguous";
  try {
    babel.parse(text, { sourceType, plugins: ["jsx"], allowReturnOutsideFunction: ext === ".cjs" });
    return [];
  } catch (error) {
    const at = error.loc || { line: 1, column: 0 };
    return [`${at.line}:${at.column + 1}: ${error.message}`];
  }
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const verdicts = JSON.parse(input).map(([name, text]) => ({
    ts: typescript(name, text), babel: javascript(name, text),
  }));
  process.stdout.write(JSON.stringify(verdicts));
});
