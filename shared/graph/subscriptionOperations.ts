import type { GraphRequester } from './client';
import { GraphAccessError } from './errors';
import { IMMUTABLE_ID } from './mailOperations';
import { parseEach, parseGraph } from './parse';
import { type GraphSubscription, subscriptionSchema } from './schemas';

export interface NewSubscription {
  readonly resource: string;
  readonly changeType: string;
  readonly notificationUrl: string;
  readonly lifecycleNotificationUrl?: string;
  readonly expirationDateTime: string;
  readonly clientState: string;
}

export interface SubscriptionOperations {
  /** Graph validates the notification (and lifecycle) URL before answering; a failed handshake is a GraphAccessError. */
  createSubscription(subscription: NewSubscription): Promise<GraphSubscription>;
  renewSubscription(id: string, expirationDateTime: string): Promise<GraphSubscription>;
  /** False when it was already gone. */
  deleteSubscription(id: string): Promise<boolean>;
  reauthorizeSubscription(id: string): Promise<void>;
  listSubscriptions(): Promise<GraphSubscription[]>;
}

const context = (operation: string) => ({ context: { operation } });

export function subscriptionOperations(graph: GraphRequester): SubscriptionOperations {
  const t = graph.tenantId;
  return {
    async createSubscription(subscription) {
      const isMail = /messages/i.test(subscription.resource);
      const value = await graph.post('/subscriptions', subscription, {
        ...(isMail ? { headers: { Prefer: IMMUTABLE_ID } } : {}),
        context: { operation: 'createSubscription', permission: isMail ? 'Mail.Read' : 'User.Read.All' },
      });
      return parseGraph(subscriptionSchema, value, 'subscriptions', t);
    },
    async renewSubscription(id, expirationDateTime) {
      const value = await graph.patch(
        `/subscriptions/${encodeURIComponent(id)}`,
        { expirationDateTime },
        context('renewSubscription'),
      );
      return parseGraph(subscriptionSchema, value, 'subscriptions', t);
    },
    async deleteSubscription(id) {
      try {
        await graph.delete(`/subscriptions/${encodeURIComponent(id)}`, context('deleteSubscription'));
        return true;
      } catch (error) {
        if (error instanceof GraphAccessError && error.status === 404) return false;
        throw error;
      }
    },
    async reauthorizeSubscription(id) {
      await graph.post(`/subscriptions/${encodeURIComponent(id)}/reauthorize`, {}, context('reauthorizeSubscription'));
    },
    async listSubscriptions() {
      const values = await graph.getAll('/subscriptions', context('listSubscriptions'));
      return parseEach(subscriptionSchema, values, 'subscriptions', t);
    },
  };
}
