// The access-surface gate: the commit status `kindo/access-surface` on a pull request's head commit,
// set by trusted code only (review-plan.yml's publish job and review-gate.yml, both running the
// default branch's files). Its input is the verdict that review-plan.yml's plan job computed with
// the default branch's review and uploaded as the artifact `access-surface-verdict-<head sha>`;
// an artifact of that name counts only when a run of review-plan.yml triggered by `workflow_run`
// made it, which runs no pull request code. docs/review.md, "The gate".

const CONTEXT = 'kindo/access-surface';
const APPROVED_LABEL = 'access-surface-approved';
const VERDICT_WORKFLOW = '.github/workflows/review-plan.yml';
const artifactName = (sha) => `access-surface-verdict-${sha}`;

/**
 * The status for a head commit: pending without a verdict for it, failure when the plan or review
 * failed, or when the access surface grows and the pull request lacks the approval label.
 */
function decide(verdict, headSha, labels) {
  if (!verdict || verdict.headSha !== headSha)
    return { state: 'pending', description: 'Waiting for review-plan (a maintainer approves its run).' };
  if (verdict.status !== 'reviewed')
    return { state: 'failure', description: 'The plan or the review of this commit failed: see the review-plan run.' };
  if (!verdict.grows) return { state: 'success', description: 'The access surface does not grow.' };
  if (labels.includes(APPROVED_LABEL))
    return { state: 'success', description: `The access surface grows; approved with the label ${APPROVED_LABEL}.` };
  return {
    state: 'failure',
    description: `The access surface grows: a security reviewer adds the label ${APPROVED_LABEL}.`,
  };
}

/** The newest trusted run that recorded a verdict for `headSha`, or null. */
async function verdictRun(github, owner, repo, headSha) {
  const { data } = await github.rest.actions.listArtifactsForRepo({ owner, repo, name: artifactName(headSha) });
  const artifacts = data.artifacts
    .filter((a) => !a.expired && a.workflow_run)
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
  for (const artifact of artifacts) {
    const { data: run } = await github.rest.actions.getWorkflowRun({ owner, repo, run_id: artifact.workflow_run.id });
    // A pull request can add or change workflows that run on its own events, but `workflow_run`
    // always runs the default branch's definition of review-plan.yml.
    if (run.path === VERDICT_WORKFLOW && run.event === 'workflow_run') return { runId: run.id, url: run.html_url };
  }
  return null;
}

/** Sets the gate's commit status on `sha`. */
async function setGate(github, owner, repo, sha, decision, targetUrl) {
  await github.rest.repos.createCommitStatus({
    owner,
    repo,
    sha,
    state: decision.state,
    context: CONTEXT,
    description: decision.description.slice(0, 140),
    ...(targetUrl ? { target_url: targetUrl } : {}),
  });
  return decision;
}

module.exports = { APPROVED_LABEL, CONTEXT, artifactName, decide, setGate, verdictRun };
