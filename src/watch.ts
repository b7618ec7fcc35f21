/**
 * Watching a folder the way authors change it: editors save by writing a new file and renaming
 * it over the old one, `git checkout` replaces files, and folders are moved away and back or
 * deleted and made again. chokidar follows the first two (a plain fs.watch loses a file after
 * its first atomic save); for the third, the folder's identity (device and inode) is checked
 * twice a second, and when it is gone or another folder took its place, the watcher is made
 * again once the folder is back.
 */
import { statSync } from 'node:fs';
import { watch, type FSWatcher } from 'chokidar';

/** The files a build reads: content (YAML) and templates (Handlebars). */
export const RELEVANT = /\.(ya?ml|hbs)$/;

const POLL_MS = 500;

/** Device and inode of a folder, or null when there is none. */
function identity(folder: string): string | null {
  try {
    const stat = statSync(folder);
    return stat.isDirectory() ? `${stat.dev}:${stat.ino}` : null;
  } catch {
    return null;
  }
}

export interface Watching {
  /** Settles once the first watcher has read the folder: changes from then on are seen. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls `onChange` after any change to a relevant file under `folder`, and when the folder comes
 * back after it was gone (`onState` says when it goes and comes back). Never stops by itself.
 */
export function watchFolder(folder: string, onChange: () => void, onState: (state: 'gone' | 'back') => void = () => {}): Watching {
  let watcher: FSWatcher | null = null;
  let seen = identity(folder);
  let isReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (isReady = resolve));
  const arm = (): void => {
    watcher = watch(folder, {
      ignoreInitial: true,
      // Only files are filtered: a folder must be entered to see the files in it.
      ignored: (path, stats) => stats?.isFile() === true && !RELEVANT.test(path),
    });
    // chokidar reads the folder first; a change made before that is not reported.
    watcher.on('ready', () => isReady());
    watcher.on('all', (event, path) => {
      if (event === 'unlinkDir' && path === folder) disarm();
      else if (RELEVANT.test(path) || event === 'unlinkDir' || event === 'addDir') onChange();
    });
    // A watcher that failed is made again by the poll below.
    watcher.on('error', () => disarm());
  };
  const disarm = (): void => {
    void watcher?.close();
    watcher = null;
    seen = null;
  };
  let announced = false;
  const poll = setInterval(() => {
    const now = identity(folder);
    if (now !== null && now === seen && watcher) return;
    if (now === null) {
      if (!announced) onState('gone');
      announced = true;
      disarm();
      return;
    }
    // Back, or replaced by another folder of the same name: watch that one, and build.
    disarm();
    seen = now;
    arm();
    if (announced) onState('back');
    announced = false;
    onChange();
  }, POLL_MS);
  if (seen !== null) arm();
  // A folder that is not there yet is watched for by the poll; nothing to wait for.
  else isReady();
  return {
    ready,
    async close() {
      clearInterval(poll);
      await watcher?.close();
    },
  };
}
