import type { SyncDeps } from '../engine/definition';
import { forgetAgentLink, writeAgentLink } from './agentLinks';
import type { EntraPlan } from './changes';
import { directoryBlobPath, readDirectory, readState, writeDirectory, writeState } from './state';

export type CommitOutcome = 'committed' | 'alreadyCommitted' | 'stepAside';

/**
 * afterApply: the plan is in Halo, so the delta links it was read with move on, with the directory copy they lead
 * to, and the agent links of this plan are kept. Guarded by the state row's ETag of when the plan was made: a
 * reset (or another run) since then wins, and this run's links are not stored (the next run reads from the
 * reset's point). A retry after a commit that went through finds its own run id and does nothing.
 */
export async function commitEntraPlan(
  deps: Pick<SyncDeps, 'stores' | 'reports' | 'now' | 'log'>,
  plan: EntraPlan,
  context: { runId: string },
): Promise<CommitOutcome> {
  const { tenantId, commit } = plan;
  const { state, etag } = await readState(deps, tenantId);
  if (state.committedBy === context.runId) return 'alreadyCommitted';
  if (etag !== commit.baseEtag) {
    deps.log.warn(
      'Entra ID sync: the delta state changed while this run applied (a reset?); its delta links are not stored',
      {
        tenantId,
        runId: context.runId,
      },
    );
    return 'stepAside';
  }
  for (const link of commit.linkAgents) {
    await writeAgentLink(deps, tenantId, link.oid, { agentId: link.agentId, email: link.email });
  }
  for (const oid of commit.forgetAgentLinks) await forgetAgentLink(deps, tenantId, oid);
  let directoryPath = commit.directoryPath;
  const stable = directoryBlobPath(tenantId);
  if (directoryPath !== '' && directoryPath !== stable) {
    const pending = await readDirectory(deps, directoryPath);
    if (!pending) throw new Error(`the directory copy of run ${context.runId} is missing (${directoryPath})`);
    await writeDirectory(deps, stable, pending);
    directoryPath = stable;
  }
  const written = await writeState(
    deps,
    tenantId,
    {
      usersDeltaLink: commit.usersDeltaLink,
      groupsDeltaLink: commit.groupsDeltaLink,
      ...(directoryPath !== '' ? { directoryPath } : {}),
      selectionKey: commit.selectionKey,
      fullReadAt: commit.fullReadAt,
      committedBy: context.runId,
      committedAt: deps.now().toISOString(),
    },
    etag,
  );
  if (!written) {
    deps.log.warn(
      'Entra ID sync: the delta state changed while this run committed (a reset?); its links are not stored',
      {
        tenantId,
        runId: context.runId,
      },
    );
    return 'stepAside';
  }
  return 'committed';
}
