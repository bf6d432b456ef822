// Reads and writes a test user's Maildir directly: seeding is 10-50x faster than APPEND,
// and reading the folders from disk checks what the server really holds.
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { DovecotInfo } from './dovecot.ts';

let seq = 0;

/** IMAP folder → Maildir++ directory: INBOX is the root, `A/B` is `.A.B`. */
export function folderDir(info: DovecotInfo, user: string, folder: string): string {
  const root = join(info.dir, 'mail', user, 'Maildir');
  return folder === 'INBOX' ? root : join(root, `.${folder.replace(/\//g, '.')}`);
}

function ensureDir(info: DovecotInfo, path: string): void {
  if (existsSync(path)) return;
  mkdirSync(path, { recursive: true });
  // Dovecot runs the mail processes as the mail uid; as root we must hand it the files.
  let p = path;
  const stop = join(info.dir, 'mail');
  while (p.startsWith(stop) && p !== stop) {
    chownSync(p, info.mailUid, info.mailGid);
    p = join(p, '..');
  }
}

/** Drops messages into a folder's new/ (tmp/ then rename, as a delivery agent does). */
export function seedMaildir(
  info: DovecotInfo,
  user: string,
  messages: readonly Buffer[],
  folder = 'INBOX',
  flags?: string,
): string[] {
  const dir = folderDir(info, user, folder);
  for (const sub of ['cur', 'new', 'tmp']) ensureDir(info, join(dir, sub));
  if (folder !== 'INBOX') {
    const marker = join(dir, 'maildirfolder');
    if (!existsSync(marker)) {
      writeFileSync(marker, '');
      chownSync(marker, info.mailUid, info.mailGid);
    }
  }
  const now = Math.floor(Date.now() / 1000);
  const paths: string[] = [];
  for (const message of messages) {
    const name = `${now}.M${seq++}P${process.pid}R${Math.floor(Math.random() * 1e9)}.${hostname()},S=${message.length}`;
    const tmp = join(dir, 'tmp', name);
    writeFileSync(tmp, message);
    chownSync(tmp, info.mailUid, info.mailGid);
    // With flags (Maildir "info", e.g. "T" for \Deleted) a message goes to cur/.
    const path = flags === undefined ? join(dir, 'new', name) : join(dir, 'cur', `${name}:2,${flags}`);
    renameSync(tmp, path);
    paths.push(path);
  }
  return paths;
}

/** The messages a folder holds on disk (new/ and cur/), excluding ones flagged deleted (T). */
export function readFolder(info: DovecotInfo, user: string, folder: string): Buffer[] {
  const dir = folderDir(info, user, folder);
  const out: Buffer[] = [];
  for (const sub of ['new', 'cur']) {
    const path = join(dir, sub);
    if (!existsSync(path)) continue;
    for (const name of readdirSync(path).sort()) {
      const flags = name.split(':2,')[1] ?? '';
      if (flags.includes('T')) continue;
      try {
        out.push(readFileSync(join(path, name)));
      } catch (err) {
        // Moved (or flagged, which renames it) by the server between the listing and the
        // read, while a scan runs: no longer this message's name in this folder.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
  return out;
}

let userSeq = 0;
/** A fresh user name, so each test has its own empty mailbox. */
export function freshUser(prefix = 'user'): string {
  return `${prefix}${process.pid}x${userSeq++}x${Math.floor(Math.random() * 1e6)}`;
}
