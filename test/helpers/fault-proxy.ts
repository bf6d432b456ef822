// A TCP proxy of our own between bounced and Dovecot, for fault tests. It forwards both
// ways until the client sends the IMAP command it watches for (plaintext IMAP, so the
// commands can be seen), then lets `afterBytes` bytes of the server's answer through and
// either cuts both connections or stalls: keeps them open and forwards nothing more.
import { type AddressInfo, createServer, type Server, type Socket, connect } from 'node:net';

export interface Fault {
  /** A pattern the client's command line matches: /UID FETCH/, /LOGIN|AUTHENTICATE/ … */
  readonly on: RegExp;
  /** cut or stall the connection; count: forward everything, only count the matches. */
  readonly action: 'cut' | 'stall' | 'count';
  /** Bytes of the server's answer let through before the fault. */
  readonly afterBytes?: number;
  /** Fault only the first N connections; later ones are forwarded untouched. */
  readonly connections?: number;
  /** Fault at most this many times in all (across connections). */
  readonly times?: number;
}

export interface FaultProxy {
  readonly port: number;
  /** How many times the fault fired. */
  fired(): number;
  stop(): Promise<void>;
}

export async function startFaultProxy(
  target: { host: string; port: number },
  fault: Fault,
): Promise<FaultProxy> {
  let fired = 0;
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const faulty = fault.connections === undefined || connections++ < fault.connections;
    sockets.add(client).add(upstream);
    let armed = false;
    let stalled = false;
    let allowance = fault.afterBytes ?? 0;
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (stalled) return;
      upstream.write(chunk);
      if (faulty && !armed && fault.on.test(chunk.toString('latin1'))) {
        if (fault.times !== undefined && fired >= fault.times) return;
        fired++;
        if (fault.action !== 'count') armed = true;
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (stalled) return;
      if (!armed) {
        client.write(chunk);
        return;
      }
      const pass = chunk.subarray(0, allowance);
      allowance -= pass.length;
      if (pass.length) client.write(pass);
      if (allowance > 0) return;
      if (fault.action === 'cut') drop();
      else stalled = true;
    });
    for (const s of [client, upstream]) {
      s.on('error', () => drop());
      s.on('close', () => {
        sockets.delete(s);
        if (!stalled) drop();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    fired: () => fired,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
