/**
 * What the operating system says about processes: the children of a process, whoever spawned them
 * (our own code or a library such as Maven's or PostgreSQL's launcher), so that a supervisor can wait
 * for every one of them before it exits; and which local ports a process is connected to.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export type ProcessInfo = {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  command: string;
  /** When it started (clock ticks since boot; 0 where unknown): a pid reused by a later process differs here. */
  start: number;
};

/** /proc/<pid>/stat: the command sits in parentheses and may itself contain spaces and parentheses. */
function readStat(pid: number): ProcessInfo | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).split(' ');
  return { pid, ppid: Number(rest[1]), pgid: Number(rest[2]), state: rest[0] ?? '?', command: text.slice(open + 1, close), start: Number(rest[19]) };
}

/** Every process this user may see, from /proc, else from `ps` (macOS). */
export function listProcesses(): ProcessInfo[] {
  if (fs.existsSync('/proc/self/stat')) {
    const out: ProcessInfo[] = [];
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const info = readStat(Number(name));
      if (info) out.push(info);
    }
    return out;
  }
  const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,comm='], { encoding: 'utf8' });
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 5)
    .map(([pid, ppid, pgid, state, ...command]) => ({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state: state ?? '?', command: command.join(' '), start: 0 }))
    // `ps` itself is a child of the caller for as long as it runs.
    .filter((p) => !(p.ppid === process.pid && p.command.endsWith('ps')));
}

/** The processes whose parent is `pid` and that have not exited yet (a zombie is waiting for its parent to reap it). */
export function childrenOf(pid: number): ProcessInfo[] {
  return listProcesses().filter((p) => p.ppid === pid && !p.state.startsWith('Z'));
}

/** `pid` and all the processes below it. */
export function descendantsOf(pid: number): ProcessInfo[] {
  const all = listProcesses();
  const found: ProcessInfo[] = [];
  const parents = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/**
 * Whether process `pid` holds an established TCP connection to local port `port` (Linux /proc; false
 * elsewhere): which of several local services a process calls, seen from outside it.
 */
export function connectedTo(pid: number, port: number): boolean {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st … inode: state 01 is ESTABLISHED.
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[2]!.endsWith(hexPort) && f[3] === '01' && inodes.has(f[9]!)) return true;
    }
  }
  return false;
}
