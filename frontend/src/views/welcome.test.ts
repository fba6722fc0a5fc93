// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionResult } from '../api';
import { connection } from '../stores/connection.svelte';
import Welcome from './Welcome.svelte';

let mounted: Record<string, unknown>[] = [];

afterEach(() => {
  mounted.forEach((c) => unmount(c));
  mounted = [];
  document.body.innerHTML = '';
  connection.result = null;
});

const token = { saved: true, where: 'keychain', less_protected: false };
const scopes = [{ scope: 'forms', reads: 'forms and form submissions', granted: true, problem: '' }];

/** The Welcome screen showing the result of a key's test. */
function welcome(result: Partial<ConnectionResult>) {
  connection.result = { ok: true, message: 'Connected.', accountScope: '', scopes, missing: [], token, ...result } as ConnectionResult;
  const target = document.createElement('div');
  document.body.appendChild(target);
  mounted.push(mount(Welcome, { target, props: { info: null, error: null } }));
  flushSync();
  const text = (id: string) => target.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
  return { target, text };
}

describe('Welcome: the account a key opens', () => {
  it('shows the account and its time zone when HubSpot gave them', () => {
    const { text } = welcome({ account: { portalId: 62515, name: '', timeZone: 'US/Eastern', accountType: 'STANDARD', currency: 'USD', uiDomain: '', dataHosting: '' } });
    expect(text('connect-account')).toBe('62515');
    expect(text('connect-time-zone')).toBe('US/Eastern');
  });

  it('names the account when the 2026-09 details give its name', () => {
    const { text } = welcome({ account: { portalId: 62515, name: 'Acme', timeZone: 'US/Eastern', accountType: 'STANDARD', currency: 'USD', uiDomain: '', dataHosting: '' } });
    expect(text('connect-account')).toBe('Acme (62515)');
  });

  it('names the scope that would add what the key cannot read', () => {
    const idOnly = welcome({ accountScope: 'oauth', account: { portalId: 62515, name: '', timeZone: '', accountType: '', currency: '', uiDomain: '', dataHosting: '' } });
    expect(idOnly.text('connect-account')).toBe('62515');
    expect(idOnly.text('connect-time-zone')).toBe('not given: the key lacks oauth');
    unmount(mounted.pop()!);

    const nothing = welcome({ accountScope: 'oauth' });
    expect(nothing.text('connect-account')).toBe('not given: the key lacks oauth');
    expect(nothing.text('connect-time-zone')).toBe('not given: the key lacks oauth');
  });

  it('shows no account for a refused key', () => {
    const { text } = welcome({ ok: false, message: 'HubSpot knows this key, but it can read nothing the app extracts.', accountScope: 'oauth', scopes: [{ ...scopes[0], granted: false }], missing: ['forms'] });
    expect(text('connect-account')).toBeNull();
    expect(text('connect-result')).toMatch(/can read nothing/);
  });

  it('lists the account details scope among those to tick', () => {
    const { target } = welcome({});
    expect([...target.querySelectorAll('table.scopes code')].map((c) => c.textContent)).toContain('oauth');
  });
});

describe('Welcome: the types a key can read', () => {
  const types = [
    { type: 'contacts', label: 'Contacts', readable: true, scope: '', problem: '' },
    { type: 'companies', label: 'Companies', readable: true, scope: '', problem: '' },
    { type: 'tickets', label: 'Tickets', readable: false, scope: 'tickets', problem: '' },
    { type: 'email_events', label: 'Marketing email events', readable: false, scope: 'content', problem: '' },
  ];

  it('lists them compactly, with the scope that adds each one it cannot', () => {
    const { text } = welcome({ types });
    expect(text('connect-can-read')).toBe('Can read: Contacts, Companies');
    expect(text('connect-cannot-read')).toBe('cannot read: Tickets (add tickets), Marketing email events (add content)');
    expect(text('connect-types')).toMatch(/^Can read: Contacts, Companies;\s+cannot read: .*\.$/);
  });

  it('says only what it can read when it reads everything', () => {
    const { text } = welcome({ types: types.slice(0, 2) });
    expect(text('connect-types')).toBe('Can read: Contacts, Companies.');
    expect(text('connect-cannot-read')).toBeNull();
  });

  it('lists nothing for a refused key', () => {
    const { text } = welcome({ ok: false, message: 'HubSpot did not accept this key.', types: [] });
    expect(text('connect-types')).toBeNull();
  });
});
