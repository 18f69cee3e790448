#!/usr/bin/env node
// Prints the GPT-2 token ids of a UTF-8 file, one per line: the reference the BPE tests compare
// against. Ids come from js-tiktoken's gpt2 encoding (special-token text is encoded as plain
// text, as our tokeniser does) and are cross-checked against gpt-3-encoder, which ports OpenAI's
// original Python encoder; disagreement between the two oracles exits with status 3.
'use strict';
const fs = require('fs');
const { getEncoding } = require('js-tiktoken');
const gpt3 = require('gpt-3-encoder');

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: encode_gpt2.js FILE\n');
  process.exit(2);
}
// gpt-3-encoder grows its output by array concatenation, quadratic in the token count, so it is
// fed line by line. That changes nothing: a '\n' between two non-space characters is always a
// piece of its own under the GPT-2 pattern, so cutting after it cuts between pieces.
function encodeInChunks(text) {
  const ids = [];
  let start = 0;
  for (let i = 1; i + 1 < text.length; ++i) {
    if (text[i] === '\n' && /\S/u.test(text[i - 1]) && /\S/u.test(text[i + 1])) {
      for (const id of gpt3.encode(text.slice(start, i + 1))) ids.push(id);
      start = i + 1;
    }
  }
  for (const id of gpt3.encode(text.slice(start))) ids.push(id);
  return ids;
}

const text = fs.readFileSync(file, 'utf8');
const ids = getEncoding('gpt2').encode(text, [], []);
const original = encodeInChunks(text);
const n = Math.min(ids.length, original.length);
let differ = 0;
while (differ < n && ids[differ] === original[differ]) ++differ;
if (differ < n || ids.length !== original.length) {
  process.stderr.write(`js-tiktoken and gpt-3-encoder disagree at token ${differ}: ` +
                       `${ids[differ]} vs ${original[differ]}\n`);
  process.exit(3);
}
process.stdout.write(ids.join('\n') + '\n');
