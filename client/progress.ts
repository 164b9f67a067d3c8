import cliProgress from 'cli-progress';
import type { Io } from './io.js';

/**
 * A bar on an interactive terminal; on a pipe or in CI a few plain lines, since a redrawn bar
 * would fill logs with control characters.
 */
export function progressReporter(io: Io, label: string): { update: (p: { done: number; total: number }) => void; stop: () => void } {
  // Io carries no terminal flag; the bar goes straight to the process's stderr, so only draw it when
  // that is a terminal (tests capturing io set CHITHI_PROGRESS=plain or run without a TTY).
  const tty = process.stderr.isTTY === true && !io.env.CI && io.env.CHITHI_PROGRESS !== 'plain';
  if (tty) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: true, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: ({ done, total }) => {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else {
          bar.setTotal(total);
          bar.update(done);
        }
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let lastTenth = -1;
  return {
    update: ({ done, total }) => {
      if (total < 200) return;
      const tenth = Math.floor((done / total) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        io.stderr(`${label}: ${done}/${total}\n`);
      }
    },
    stop: () => undefined,
  };
}
