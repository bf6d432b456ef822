import { ConfigError } from '../../src/config/config.ts';

/** The ConfigError the call throws (any other error is rethrown; none fails the test). */
export function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
