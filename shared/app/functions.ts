import type { InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { createRegistry, type QueueFunction } from '../runtime/registry';
import {
  type ConsumerContext,
  consumeMessage,
  type Delivery,
  type QueueConsumer,
  type QueueFailure,
  type SweepOutcome,
  sweepPoisonQueue,
} from '../storage';
import { rootContainer } from './compositionRoot';
import type { Container } from './container';

/**
 * The app's functions. Function files define theirs here; the real host gets their dependencies from the
 * composition root, the local runner passes its own. The runtime layer below knows nothing of the Container.
 */
const registry = createRegistry<Container>(rootContainer);

export const defineHttp = registry.defineHttp;
export const defineTimer = registry.defineTimer;
/** Every function defined so far (function files define theirs when imported). */
export const registeredFunctions = registry.functions;

export interface QueueDefinition<S extends z.ZodType> {
  readonly name: string;
  readonly queueName: string;
  /** The schema of the queue's messages: anything else is recorded as malformed and not retried. */
  readonly schema: S;
  /**
   * One message, already decoded and valid. Throw to have it delivered again (the last failure is recorded, never
   * moved to a poison queue); throw MessageRejected to record it as rejected at once.
   */
  readonly handler: (
    message: z.output<S>,
    deps: Container,
    delivery: Delivery,
    context: InvocationContext,
  ) => Promise<unknown>;
  /** What else must happen when a message is given up on; the failure is recorded before this runs. Idempotent. */
  readonly onGiveUp?: (message: z.output<S>, failure: QueueFailure, deps: Container) => Promise<unknown>;
}

const declared: QueueDefinition<z.ZodType>[] = [];

/** A queue trigger that validates with the queue's schema and records whatever it gives up on (queueConsumer.ts). */
export function defineQueue<S extends z.ZodType>(definition: QueueDefinition<S>): QueueFunction<Container> {
  declared.push(definition as unknown as QueueDefinition<z.ZodType>);
  return registry.defineQueue({
    name: definition.name,
    queueName: definition.queueName,
    handler: async (message, context, deps) => {
      await consumeMessage(
        consumerOf(definition, deps, context),
        message,
        context.triggerMetadata,
        consumerContext(deps),
      );
    },
  });
}

/** The queues defined with defineQueue, for the poison sweep. */
export function declaredQueues(): readonly QueueDefinition<z.ZodType>[] {
  return declared;
}

/** Records whatever waits in each declared queue's `-poison` twin (see sweepPoisonQueue). */
export async function sweepPoisonQueues(deps: Container): Promise<Record<string, SweepOutcome>> {
  const outcomes: Record<string, SweepOutcome> = {};
  for (const definition of declared) {
    outcomes[definition.queueName] = await sweepPoisonQueue(consumerOf(definition, deps), consumerContext(deps));
  }
  return outcomes;
}

function consumerOf<S extends z.ZodType>(
  definition: QueueDefinition<S>,
  deps: Container,
  context?: InvocationContext,
): QueueConsumer<S> {
  const onGiveUp = definition.onGiveUp;
  return {
    queue: definition.queueName,
    schema: definition.schema,
    handle: async (message, delivery) => {
      if (!context) throw new Error(`${definition.name}: no invocation to handle a message in`);
      await definition.handler(message, deps, delivery, context);
    },
    ...(onGiveUp
      ? {
          onGiveUp: async (message: z.output<S>, failure: QueueFailure) => {
            await onGiveUp(message, failure, deps);
          },
        }
      : {}),
  };
}

function consumerContext(deps: Container): ConsumerContext {
  return {
    storage: deps.storage,
    failures: deps.stores.queueFailures,
    log: deps.log,
    secrets: deps.settings.secretValues,
    maxDequeueCount: deps.queueDelivery.maxDequeueCount,
  };
}
