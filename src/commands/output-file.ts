import { createWriteStream, type WriteStream } from 'node:fs';

/** A file the user named cannot be created or written (exit 73, EX_CANTCREAT). */
export class OutputError extends Error {
  readonly code = 'EOUTPUT';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OutputError';
  }
}

const WHY: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  ENOTDIR: 'a part of its path is not a folder',
};

function outputError(path: string, err: unknown): OutputError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new OutputError(`cannot create ${path}: ${WHY[code] ?? (err as Error).message} (${code})`, {
    cause: err,
  });
}

/** Opens a file for writing, and waits until it is open: a bad path fails here, in one line. */
export async function openOutput(path: string): Promise<WriteStream> {
  const out = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', (err) => reject(outputError(path, err)));
  });
  return out;
}

/** Ends a file opened by openOutput; a failed flush (a full disk) is an OutputError too. */
export async function closeOutput(out: NodeJS.WritableStream, path: string): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(outputError(path, err)) : resolve())),
  );
}

/** Writes one body to standard output, or to a file opened by openOutput, and closes the file. */
export async function writeAll(
  out: NodeJS.WritableStream,
  body: string | Buffer,
  path?: string,
): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    out.write(body, (err?: Error | null) => (err && path ? reject(outputError(path, err)) : resolve())),
  );
  if (path) await closeOutput(out, path);
}
