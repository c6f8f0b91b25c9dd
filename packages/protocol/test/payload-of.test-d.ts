import { describe, expectTypeOf, it } from 'vitest';
import type {
  AnyEnvelope,
  Claims,
  EnvelopeOf,
  Meta,
  PayloadOf,
  ServerActionName,
} from '../src/index.js';

describe('PayloadOf', () => {
  it('derives each payload from its schema', () => {
    expectTypeOf<PayloadOf<'message.created'>['body']>().toEqualTypeOf<string>();
    expectTypeOf<PayloadOf<'message.created'>['sentAt']>().toEqualTypeOf<number>();
    expectTypeOf<PayloadOf<'message.created'>['attachments']>().toEqualTypeOf<
      { url: string; mimeType: string; name?: string }[] | undefined
    >();
    expectTypeOf<PayloadOf<'presence.changed'>['status']>().toEqualTypeOf<
      'online' | 'away' | 'offline'
    >();
    expectTypeOf<PayloadOf<'message.delivered'>['messageIds']>().toEqualTypeOf<string[]>();
    expectTypeOf<PayloadOf<'system.announcement'>['level']>().toEqualTypeOf<
      'info' | 'warning' | 'critical'
    >();
  });

  it('rejects unknown actions and fields', () => {
    // @ts-expect-error: not an action
    type _Bad = PayloadOf<'message.craeted'>;
    // @ts-expect-error: not a field
    type _Field = PayloadOf<'message.created'>['bdy'];
    expectTypeOf<'message.craeted'>().not.toMatchTypeOf<ServerActionName>();
  });

  it('names every action', () => {
    expectTypeOf<ServerActionName>().toEqualTypeOf<
      | 'conversation.unread'
      | 'message.created'
      | 'message.delivered'
      | 'message.read'
      | 'notification.created'
      | 'presence.changed'
      | 'system.announcement'
      | 'typing.changed'
    >();
  });

  it('narrows envelopes by action', () => {
    expectTypeOf<EnvelopeOf<'message.read'>['data']>().toEqualTypeOf<PayloadOf<'message.read'>>();
    expectTypeOf<
      Extract<AnyEnvelope, { action: 'message.created' }>['data']['body']
    >().toEqualTypeOf<string>();
  });

  it('types meta and claims', () => {
    expectTypeOf<Meta>().toEqualTypeOf<{
      id: string;
      ts: number;
      site: string;
      offset?: string;
    }>();
    expectTypeOf<Claims['sub']>().toEqualTypeOf<string | number>();
  });
});
