// The hybrid worker's script guard: a tiny plain-JavaScript process (no tsx, starts in milliseconds) that the worker
// starts in a session of its own (worker/scriptGuard.ts). The worker writes "+<pid>" when a script's process group
// starts and "-<pid>" once it is over. When the worker's end of the pipe closes (the worker exited, however it died,
// SIGKILL included) every group still listed is killed and the guard exits: scripts never outlive their worker.
// POSIX: kill(-pgid, SIGKILL). Windows: `taskkill /PID <pid> /T /F`, which follows the recorded parent ids.
'use strict';
const { spawnSync } = require('node:child_process');

const groups = new Set();
let buffered = '';

function killAll() {
  for (const pid of groups) {
    if (process.platform === 'win32') {
      spawnSync('taskkill', ['/PID', String(pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' });
      continue;
    }
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is already gone
    }
  }
  process.exit(0);
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) {
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (line[0] === '+') groups.add(pid);
    if (line[0] === '-') groups.delete(pid);
  }
});
process.stdin.on('end', killAll);
process.stdin.on('error', killAll);
