/** What the code under test wrote: to stdout, to stderr, and both as written. */
export interface CapturedOutput {
  out: string;
  err: string;
  all: string;
  /** Forgets what was written so far. */
  clear(): void;
}

/**
 * Captures what is written to stdout and stderr during each test of the calling describe block, instead
 * of printing it, and restores both after the test.
 */
export function captureOutput(): CapturedOutput {
  const captured: CapturedOutput = {
    out: '',
    err: '',
    all: '',
    clear() {
      captured.out = captured.err = captured.all = '';
    },
  };
  beforeEach(() => {
    captured.clear();
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      captured.out += String(s);
      captured.all += String(s);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      captured.err += String(s);
      captured.all += String(s);
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());
  return captured;
}
