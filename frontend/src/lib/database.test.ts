import { describe, expect, it } from 'vitest';
import { describeDatabase, describeOrigin } from './database';

describe('describeDatabase', () => {
  it('says the data is there when the file exists', () => {
    expect(describeDatabase({ databaseExists: true })).toMatch(/data is in this file/);
  });

  it('says the first extraction creates a missing file', () => {
    expect(describeDatabase({ databaseExists: false })).toMatch(/first extraction creates it/);
  });
});

describe('describeOrigin', () => {
  it.each([
    ['env', /HUBEXTRACT_DB environment variable: Settings cannot change it/],
    ['settings', /Chosen in Settings/],
    ['sample', /sample data/],
  ])('says why the file is %s', (origin, want) => {
    expect(describeOrigin(origin)).toMatch(want);
  });

  it('says nothing of the default location', () => {
    expect(describeOrigin('default')).toBe('');
  });
});
