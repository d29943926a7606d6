/**
 * The service as a real process on a real data directory, for tests of stops and restarts:
 * `tsx src/main.ts` (whatever `npm start` runs, the TypeScript source is what is under test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
export const SERVICE_ADMIN_PASSWORD = 'census-office-1';

export interface ServiceProcess {
  url: string;
  output: () => string;
  /** Resolves with the exit code (or null and the signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  call(method: string, pathname: string, options?: { token?: string; body?: unknown | FormData; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  login(username: string, password: string): Promise<string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts the service on DATA_DIR `dataDir` (no demo catalogue) and waits until it serves. */
export async function startService(dataDir: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, GUJI_DEMO: '0', GUJI_ADMIN_PASSWORD: SERVICE_ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  for (let i = 0; !output.includes('guji serving'); i++) {
    if (child.exitCode !== null || i > 600) {
      child.kill('SIGKILL');
      throw new Error(`the service did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `http://127.0.0.1:${port}`;
  const call: ServiceProcess['call'] = async (method, pathname, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | FormData | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(url + pathname, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
  return {
    url,
    output: () => output,
    exited,
    kill: (signal) => child.kill(signal),
    call,
    async login(username, password) {
      const res = await call('POST', '/api/session', { body: { username, password } });
      if (res.status !== 201) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
  };
}
