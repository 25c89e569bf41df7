// The drift workflow's issue: one open issue, labelled `entra-drift` and found by its marker, that
// says what drifted from the configuration (Entra through `terraform plan -detailed-exitcode`, Nango
// through `verify`); updated while drift lasts, commented on and closed once a run finds none.
// docs/review.md, "Drift".

const LABEL = 'entra-drift';
const MARKER = '<!-- kindo-microsoft-integrations:drift -->';
const MAX_BODY = 60000;

/** A fenced code block that its text cannot close: the fence is longer than any backtick run in it. */
function fenced(text) {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

/** A stack name as a code span (names are letters, digits, _ and -; anything else is shown fenced). */
const stackName = (name) => (/^[\w-]+$/.test(name) ? `\`${name}\`` : fenced(name));

/**
 * What one drift run found: `clean`, `drift` or `failed`, and the issue body. `stacks` holds per
 * stack `{ stack, plan: 'clean'|'drift'|'error', verify: 'agrees'|'differs'|'error', verifyText }`;
 * `review` the review's Markdown of the drift plans (values escaped by the review).
 */
function driftReport(stacks, review, runUrl) {
  const failed = stacks.length === 0 || stacks.some((s) => s.plan === 'error' || s.verify === 'error');
  const drifted = stacks.some((s) => s.plan === 'drift' || s.verify === 'differs');
  const state = failed ? 'failed' : drifted ? 'drift' : 'clean';
  const rows = stacks.map((s) => `| ${stackName(s.stack)} | ${s.plan} | ${s.verify} |`);
  const verify = stacks
    .filter((s) => s.verify !== 'agrees' && s.verifyText)
    .map((s) => `Nango, ${stackName(s.stack)}:\n\n${fenced(s.verifyText)}`);
  const body = [
    MARKER,
    `The daily drift check ([run](${runUrl})) found: **${state}**.`,
    '',
    '| Stack | Entra (terraform plan) | Nango (verify) |',
    '|---|---|---|',
    ...rows,
    '',
    ...verify,
    '',
    '<details><summary>What an apply would change</summary>',
    '',
    review || 'No plan was reviewed.',
    '',
    '</details>',
  ].join('\n');
  return { state, body: body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}\n\n… truncated: see the run.` : body };
}

/** Opens, updates or closes the one drift issue. */
async function syncDriftIssue(github, owner, repo, report, runUrl) {
  const open = await github.paginate(github.rest.issues.listForRepo, {
    owner,
    repo,
    state: 'open',
    labels: LABEL,
    per_page: 100,
  });
  const issue = open.find((i) => i.user?.type === 'Bot' && i.body?.startsWith(MARKER));
  if (report.state === 'clean') {
    if (!issue) return 'nothing to do';
    await github.rest.issues.createComment({ owner, repo, issue_number: issue.number, body: `No drift on ${runUrl}.` });
    await github.rest.issues.update({ owner, repo, issue_number: issue.number, state: 'closed' });
    return `closed #${issue.number}`;
  }
  const title = report.state === 'failed' ? 'Drift check failed' : 'Entra or Nango drifted from the configuration';
  if (!issue) {
    const { data } = await github.rest.issues.create({ owner, repo, title, body: report.body, labels: [LABEL] });
    return `opened #${data.number}`;
  }
  await github.rest.issues.update({ owner, repo, issue_number: issue.number, title, body: report.body });
  await github.rest.issues.createComment({
    owner,
    repo,
    issue_number: issue.number,
    body: `Still ${report.state} on ${runUrl}.`,
  });
  return `updated #${issue.number}`;
}

module.exports = { LABEL, MARKER, driftReport, fenced, syncDriftIssue };
