import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// cdktf's Testing writes a cdktf.outdir.* directory per synth, and the end-to-end tests keep state in
// temporary stacks: all of it goes into one directory of this run's, removed at the end, so that a
// run leaves the system temp directory as it found it. Workers start after this and inherit TMPDIR.
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'kindo-tests-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
