// Reads a JSON list of [formula, displayMode] from stdin; prints a JSON list of error strings
// (null where KaTeX renders the formula). Used by tests/test_prose.py.
const katex = require("katex");
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const errors = JSON.parse(input).map(([tex, display]) => {
    try {
      katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: "error" });
      return null;
    } catch (e) {
      return String(e.message);
    }
  });
  process.stdout.write(JSON.stringify(errors));
});
