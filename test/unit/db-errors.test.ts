import { describe, expect, it } from 'vitest';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError, QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '../../store/db-errors.ts';

describe('recognising a database that went away', () => {
  it('should call a transaction whose connection died under it unavailable (503), not a bug (500)', () => {
    expect(isDatabaseUnavailable(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
  });

  it('should call a terminated connection unavailable', () => {
    const err = new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('should not call a bad query unavailable', () => {
    const err = new QueryFailedError('SELECT nope', [], Object.assign(new Error('column "nope" does not exist'), { code: '42703' }));
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
