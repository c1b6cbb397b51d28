#!/usr/bin/env node
// The `crosstalk` command as npm links it. This file is in the sources, so `npm ci` links
// node_modules/.bin/crosstalk before the build has written the bundle it runs, and `npx
// crosstalk-cli …` works in a fresh checkout once `npm ci` has built it.
import '../dist/bundle/bin.js';
