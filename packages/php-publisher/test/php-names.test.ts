import { serverActionNames } from '@postbode/protocol';
import { describe, expect, it } from 'vitest';
import {
  phpCheckerName,
  phpConstantName,
  phpDocText,
  phpLiteral,
  phpMethodName,
  phpNamespace,
  phpParameterName,
  phpPascalName,
  phpRegex,
  phpString,
  splitWords,
} from '../src/php-names.js';

describe('phpMethodName and phpConstantName', () => {
  it.each([
    ['message.created', 'messageCreated', 'MESSAGE_CREATED'],
    ['conversation.unread', 'conversationUnread', 'CONVERSATION_UNREAD'],
    ['presence.lastSeen', 'presenceLastSeen', 'PRESENCE_LAST_SEEN'],
    ['user-profile.updated', 'userProfileUpdated', 'USER_PROFILE_UPDATED'],
    ['a.b_c', 'aBC', 'A_B_C'],
  ])('%s → %s, %s', (action, method, constant) => {
    expect(phpMethodName(action)).toBe(method);
    expect(phpConstantName(action)).toBe(constant);
  });

  it('escapes a constant that is a reserved word and names that start with a digit', () => {
    expect(phpConstantName('class')).toBe('CLASS_');
    expect(phpConstantName('2fa.enabled')).toBe('_2FA_ENABLED');
    expect(phpMethodName('2fa.enabled')).toBe('_2faEnabled');
  });

  it('gives every registered action a distinct method and constant', () => {
    const methods = serverActionNames.map(phpMethodName);
    const constants = serverActionNames.map(phpConstantName);
    expect(new Set(methods).size).toBe(serverActionNames.length);
    expect(new Set(constants).size).toBe(serverActionNames.length);
  });

  it('refuses a name without words', () => {
    expect(() => phpMethodName('..')).toThrow(/cannot derive/);
  });
});

describe('splitWords, phpPascalName and phpCheckerName', () => {
  it('splits at separators and case changes', () => {
    expect(splitWords('lastSeenAt')).toEqual(['last', 'Seen', 'At']);
    expect(splitWords('HTTPServer.up')).toEqual(['HTTP', 'Server', 'up']);
  });

  it('builds class-like names and escapes reserved ones', () => {
    expect(phpPascalName('message.created', 'attachments')).toBe('MessageCreatedAttachments');
    expect(phpPascalName('list')).toBe('List_');
    expect(phpCheckerName('message.created', 'attachments', 'item')).toBe(
      'checkMessageCreatedAttachmentsItem',
    );
  });
});

describe('phpParameterName', () => {
  it('keeps schema names so named arguments read like the payload', () => {
    expect(phpParameterName('messageId')).toBe('messageId');
    expect(phpParameterName('_private')).toBe('_private');
  });

  it('escapes names PHP forbids or that are taken', () => {
    expect(phpParameterName('this')).toBe('this_');
    expect(phpParameterName('GLOBALS')).toBe('GLOBALS_');
    expect(phpParameterName('to', new Set(['to']))).toBe('to_');
    expect(phpParameterName('to', new Set(['to', 'to_']))).toBe('to__');
  });

  it('camel-cases names that are not identifiers', () => {
    expect(phpParameterName('mime-type')).toBe('mimeType');
    expect(phpParameterName('2nd')).toBe('_2nd');
  });
});

describe('phpNamespace', () => {
  it('accepts backslash or dot separators', () => {
    expect(phpNamespace('Postbode')).toBe('Postbode');
    expect(phpNamespace('Acme\\Realtime')).toBe('Acme\\Realtime');
    expect(phpNamespace('\\Acme.Realtime\\')).toBe('Acme\\Realtime');
  });

  it('rejects reserved or invalid segments', () => {
    expect(() => phpNamespace('Acme\\List')).toThrow(/not a valid PHP namespace segment/);
    expect(() => phpNamespace('Acme-Realtime')).toThrow(/not a valid/);
    expect(() => phpNamespace('')).toThrow(/must not be empty/);
  });
});

describe('PHP literals', () => {
  it('single-quotes plain strings, escaping only \\ and quote', () => {
    expect(phpString('$body')).toBe("'$body'");
    expect(phpString("it's \\ok")).toBe("'it\\'s \\\\ok'");
  });

  it('double-quotes strings with control characters, escaping $ and quotes', () => {
    expect(phpString('a\nb$c"\u0001')).toBe('"a\\nb\\$c\\"\\x01"');
  });

  it('writes scalars', () => {
    expect(phpLiteral(null)).toBe('null');
    expect(phpLiteral(true)).toBe('true');
    expect(phpLiteral(10)).toBe('10');
    expect(phpLiteral(0.5)).toBe('0.5');
    expect(phpLiteral(1e21)).toBe('1e+21');
    expect(() => phpLiteral(Number.NaN)).toThrow(/no PHP literal/);
  });

  it('keeps PHPDoc on one line and unable to close the comment', () => {
    expect(phpDocText('a\n  b */ c')).toBe('a b *\\/ c');
  });

  it('turns a JSON Schema pattern into a PCRE literal with ECMAScript end-of-input semantics', () => {
    expect(phpRegex('^[A-Za-z0-9_.-]+$')).toBe("'/^[A-Za-z0-9_.-]+$/Du'");
    expect(phpRegex('a/b\\/c')).toBe("'/a\\\\/b\\\\/c/Du'");
  });
});
