// Build step: renders `crosstalk --help` once into dist/help.txt, so the entry script can print it
// without loading the program. It is commander's own output, captured.
import { writeFileSync } from 'node:fs';
import { buildProgram } from '../dist/program.js';

let out = '';
const capture = (s) => {
  out += s;
};
buildProgram(async () => {}, { writeOut: capture, writeErr: capture }).outputHelp();
writeFileSync(new URL('../dist/help.txt', import.meta.url), out);
