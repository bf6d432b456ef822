import { readFileSync } from 'node:fs';
import { validate as validateCron } from 'node-cron';
import { ConfigError } from './config.ts';
import { envName, type OptionSpec } from './options.ts';

// One option's value: read from the environment (or its _FILE), and checked against its type.

export type Value = string | number | boolean | readonly string[];

/** The variable NAME (default: the option's own), or NAME_FILE; both set is an error. */
export function readEnv(
  spec: OptionSpec,
  env: NodeJS.ProcessEnv,
  name = envName(spec.key),
): { raw: string; source: string } | undefined {
  const direct = env[name];
  const fileName = env[`${name}_FILE`];
  if (direct !== undefined && fileName !== undefined) {
    throw new ConfigError(spec.key, `${spec.key}: set ${name} or ${name}_FILE, not both`);
  }
  if (direct !== undefined) return { raw: direct, source: `from ${name}` };
  if (fileName === undefined) return undefined;
  try {
    // Docker secrets end with a newline that is not part of the secret.
    return { raw: readFileSync(fileName, 'utf8').replace(/\r?\n$/, ''), source: `from ${name}_FILE` };
  } catch (err) {
    throw new ConfigError(
      spec.key,
      `${spec.key}: cannot read ${name}_FILE (${fileName}): ${(err as NodeJS.ErrnoException).code}`,
    );
  }
}

export function coerce(spec: OptionSpec, raw: unknown, source: string): Value {
  const fail = (expected: string): never => {
    const shown = spec.secret ? 'a value' : JSON.stringify(raw);
    throw new ConfigError(spec.key, `${spec.key} (${source}): expected ${expected}, got ${shown}`);
  };
  switch (spec.type) {
    case 'string':
    case 'cron': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return fail('a string');
      const s = String(raw);
      if (s.trim() === '') return fail('a non-empty string');
      if (spec.type === 'cron' && !validateCron(s)) {
        return fail('a cron expression such as "*/5 * * * *"');
      }
      return s;
    }
    case 'integer': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)
            ? Number(raw)
            : NaN;
      const range = `an integer from ${spec.min} to ${spec.max}`;
      if (!Number.isInteger(n)) return fail(range);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max))
        return fail(range);
      return n;
    }
    case 'list': {
      // A YAML list, or "a,b" / one per line in a variable or its _FILE.
      const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\n,]/) : undefined;
      if (!items || items.some((i) => typeof i !== 'string' && typeof i !== 'number'))
        return fail('a list of strings');
      const list = items.map((i) => String(i).trim()).filter(Boolean);
      if (list.length === 0) return fail('a non-empty list');
      return Object.freeze(list);
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
      return fail('true or false');
    }
    case 'enum': {
      const s = String(raw).trim();
      if (!spec.values?.includes(s)) return fail(`one of ${spec.values?.join(', ')}`);
      return s;
    }
  }
}
