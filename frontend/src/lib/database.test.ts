import { describe, expect, it } from 'vitest';
import { describeDatabase } from './database';

describe('describeDatabase', () => {
  it('says the data is there when the file exists', () => {
    expect(describeDatabase({ databaseExists: true })).toMatch(/data is in this file/);
  });

  it('says the first extraction creates a missing file', () => {
    expect(describeDatabase({ databaseExists: false })).toMatch(/first extraction creates it/);
  });
});
