import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthError, synthesizeProject, withSynthesizedRevision } from '../../src/review/git';
import { loadSynthesizedStacks } from '../../src/review/review';
import { expectKindoError } from '../support/errors';

const PROJECT = resolve(__dirname, '..', '..');

describe('synthesizing without the cdktf CLI', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kindo-review-git-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A project whose cdktf.json runs `app`, with this checkout's node_modules. */
  function project(app: string): string {
    writeFileSync(join(root, 'cdktf.json'), JSON.stringify({ language: 'typescript', app, context: { k: 'v' } }));
    symlinkSync(join(PROJECT, 'node_modules'), join(root, 'node_modules'), 'junction');
    return root;
  }

  test('runs the app of cdktf.json with CDKTF_OUTDIR and the context, and without TF_VAR_ variables', () => {
    // A stand-in app that records what the CLI would have given it and writes a manifest.
    const app =
      "node -e \"const fs=require('fs');fs.mkdirSync(process.env.CDKTF_OUTDIR,{recursive:true});" +
      "fs.writeFileSync(process.env.CDKTF_OUTDIR+'/manifest.json',JSON.stringify({stacks:{},seen:{" +
      'context:JSON.parse(process.env.CDKTF_CONTEXT_JSON),tfVar:process.env.TF_VAR_nango_secret_key??null}}))"';
    process.env.TF_VAR_nango_secret_key = 'planted';
    try {
      synthesizeProject(project(app), join(root, 'out'));
    } finally {
      delete process.env.TF_VAR_nango_secret_key;
    }
    expect(JSON.parse(readFileSync(join(root, 'out', 'manifest.json'), 'utf8')).seen).toEqual({
      context: { k: 'v', cdktfRelativeModules: [] },
      tfVar: null,
    });
  });

  test('synthesizes this package’s own app, main.ts, as `cdktf synth` would', () => {
    const out = join(root, 'out');
    const env = process.env.KINDO_INTEGRATIONS;
    process.env.KINDO_INTEGRATIONS = 'teams';
    try {
      synthesizeProject(PROJECT, out);
    } finally {
      if (env === undefined) delete process.env.KINDO_INTEGRATIONS;
      else process.env.KINDO_INTEGRATIONS = env;
    }
    expect(loadSynthesizedStacks(out).map((s) => s.name)).toEqual(['kindo-microsoft-integrations']);
  }, 60_000);

  test('reports a failed synth by the error it threw, in a few lines, without the stack trace', () => {
    const app = `node -e "const e=new Error('nango.serverUrl is \\'ftp://x\\'; expected an https:// URL'); e.name='KindoConfigError'; throw e"`;
    const error = expectKindoError(
      () => synthesizeProject(project(app), join(root, 'out')),
      'REVIEW_BASE_SYNTH_FAILED',
      ["KindoConfigError: nango.serverUrl is 'ftp://x'; expected an https:// URL"],
    );
    expect(error.message).not.toMatch(/^\s+at /m);
    expect(error.message.split('\n').length).toBeLessThanOrEqual(4);
  });

  test('refuses a project without an app command', () => {
    writeFileSync(join(root, 'cdktf.json'), '{}');
    expectKindoError(() => synthesizeProject(root, join(root, 'out')), 'REVIEW_BASE_SYNTH_FAILED', ['cdktf.json']);
  });

  test('keeps an error line and its message lines, or else the last lines of the output', () => {
    expect(synthError('/x/main.ts:3\n  throw e;\n\nError: one\ntwo\n    at f (x.js:1:1)\n    at g')).toBe(
      'Error: one\ntwo',
    );
    expect(synthError('a\nb\n\nc\nd\ne\nf\ng\nh')).toBe('c\nd\ne\nf\ng\nh');
  });

  test('synthesizes a git revision in a worktree it removes again', () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    git('init', '-q');
    project(
      "node -e \"require('fs').mkdirSync(process.env.CDKTF_OUTDIR,{recursive:true});require('fs').writeFileSync(process.env.CDKTF_OUTDIR+'/manifest.json','{}')\"",
    );
    writeFileSync(join(root, '.gitignore'), 'node_modules\n');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
    const manifest = withSynthesizedRevision('HEAD', root, (out) => readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toBe('{}');
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });
});
