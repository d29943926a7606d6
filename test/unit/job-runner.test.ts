/** Which jobs the start-up check may end: those whose process is gone (src/services/job-runner.ts). */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { RUNNER, runnerAlive, shownJob } from '../../src/services/job-runner.js';

describe('job runners', () => {
  it('tells a live process from a gone one, on this host', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    expect(runnerAlive({ host: RUNNER.host, pid: child.pid! })).to.equal(true);
    child.kill('SIGKILL');
    await exited;
    expect(runnerAlive({ host: RUNNER.host, pid: child.pid! })).to.equal(false);
  });

  it('ends jobs with no runner or with this pid (a restarted container is pid 1 again), and leaves other hosts\' jobs alone', () => {
    expect(runnerAlive(undefined)).to.equal(false);
    expect(runnerAlive(RUNNER)).to.equal(false);
    expect(runnerAlive({ host: `${RUNNER.host}-elsewhere`, pid: 1 })).to.equal(true);
  });

  it('does not show the runner to readers', () => {
    expect(shownJob({ id: 'j', runner: RUNNER })).to.deep.equal({ id: 'j' });
  });
});
