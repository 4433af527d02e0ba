import type { Container } from '../../app/container';
import type { Evaluation } from '../evaluateResult';
import { addNotesOnce, noteRef, privateNote } from './haloNotes';

/**
 * Writes a judged result to Halo: Halo's queue record first (marking it processed twice is harmless), then the
 * ticket. A failure is one private action that carries the note and moves the status (an action's new_status), so
 * the ticket changes in one request; a success is one status update. Returns what it wrote, for logs.
 */
export async function applyEvaluation(
  deps: Pick<Container, 'halo'>,
  ticketId: number | undefined,
  evaluation: Evaluation,
  /** The job whose result this is (the note's marker); `lookFirst` when an earlier attempt may have written. */
  job: { id: string; lookFirst: boolean },
): Promise<string[]> {
  const done: string[] = [];
  if (evaluation.scriptQueueCompletion) {
    await deps.halo.markScriptRunsProcessed(evaluation.scriptQueueCompletion);
    done.push('Halo queue record marked processed');
  }
  if (ticketId === undefined) return done;
  const statusId = evaluation.ticketUpdate?.statusId;
  if (evaluation.action) {
    const { note, outcomeId } = evaluation.action;
    const ref = noteRef('job', job.id);
    await addNotesOnce(deps.halo, [privateNote(ticketId, note, { outcomeId, newStatusId: statusId, ref })], job);
    done.push(`private note added${statusId !== undefined ? `, status ${statusId}` : ''}`);
  } else if (statusId !== undefined) {
    await deps.halo.updateTickets([{ id: ticketId, status_id: statusId }]);
    done.push(`status ${statusId}`);
  }
  return done;
}
