// Drives tuf-js against a served TUF repository, as tufsh's interop tests need it.
//
//   node refresh.mjs --metadata-url URL [--targets-url URL] --root FILE --cache DIR
//                    [--target PATH]... [--out DIR]
//
// --root is the trusted root.json; it is copied to CACHE/root.json unless the cache already holds
// one (a client that has run before trusts what it has). The updater refreshes top-level metadata,
// then for each --target looks it up (getTargetInfo) and downloads it into --out (default
// CACHE/targets). Prints one JSON line {ok, error, targets: [{path, length, sha256}]} and exits 0
// on success, 1 on any error.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { Updater } from 'tuf-js';

function report(result, code) {
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exitCode = code;
}

function describe(err) {
  // tuf-js's error classes do not set .name, so the class name tells what kind of failure it was.
  const kind = err && err.constructor ? err.constructor.name : '';
  const name = kind && kind !== 'Error' ? `${kind}: ` : '';
  const msg = err && err.message ? err.message : String(err);
  return (name + msg).replace(/\s*\n\s*/g, ' ');
}

async function main() {
  const { values } = parseArgs({
    options: {
      'metadata-url': { type: 'string' },
      'targets-url': { type: 'string' },
      root: { type: 'string' },
      cache: { type: 'string' },
      target: { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
    },
    strict: true,
  });
  for (const required of ['metadata-url', 'root', 'cache']) {
    if (!values[required]) {
      throw new Error(`missing --${required}`);
    }
  }
  const cache = resolve(values.cache);
  const out = resolve(values.out ?? join(cache, 'targets'));
  mkdirSync(cache, { recursive: true });
  mkdirSync(out, { recursive: true });
  if (!existsSync(join(cache, 'root.json'))) {
    copyFileSync(values.root, join(cache, 'root.json'));
  }

  const updater = new Updater({
    metadataDir: cache,
    metadataBaseUrl: values['metadata-url'],
    targetBaseUrl: values['targets-url'],
    targetDir: out,
    config: { fetchRetries: 0, fetchRetry: 0, fetchTimeout: 10000 },
  });
  await updater.refresh();

  const targets = [];
  for (const path of values.target) {
    const info = await updater.getTargetInfo(path);
    if (!info) {
      throw new Error(`target '${path}' is not listed in the repository`);
    }
    const file = resolve(out, path);
    if (!file.startsWith(out + sep)) {
      throw new Error(`target '${path}' would be written outside ${out}`);
    }
    mkdirSync(dirname(file), { recursive: true });
    await updater.downloadTarget(info, file);
    const bytes = readFileSync(file);
    targets.push({
      path,
      length: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  report({ ok: true, error: null, targets }, 0);
}

main().catch((err) => report({ ok: false, error: describe(err), targets: [] }, 1));
