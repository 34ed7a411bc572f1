// Prints, as JSON, how many tokens of each type fountain-js finds in a
// Fountain file, and the title it reads: node fountain_counts.js FILE.
// fountain-js is loaded from the npm prefix in $AUTHORWORKS_FOUNTAIN_JS
// (npm install --prefix "$AUTHORWORKS_FOUNTAIN_JS" fountain-js@1.2.4).
'use strict';
const fs = require('fs');
const path = require('path');

const dir = process.env.AUTHORWORKS_FOUNTAIN_JS;
const { Fountain } = require(path.join(dir, 'node_modules', 'fountain-js'));
const version = require(path.join(dir, 'node_modules', 'fountain-js', 'package.json')).version;

const script = new Fountain().parse(fs.readFileSync(process.argv[2], 'utf8'), true);
const counts = {};
for (const t of script.tokens) {
  counts[t.type] = (counts[t.type] || 0) + 1;
}
process.stdout.write(JSON.stringify({ version, title: script.title, counts }) + '\n');
