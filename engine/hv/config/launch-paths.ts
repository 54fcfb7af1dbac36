// Resolves the paths a launch file or zone config names against the folder of
// the file that names them. The engine does not use node:path so that it
// stays free of Node modules; both separators are accepted, '/' is written.

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path);
}

function normalize(path: string): string {
  const absolute = isAbsolute(path);
  const drive = /^[A-Za-z]:/.exec(path)?.[0] ?? '';
  const parts: string[] = [];
  for (const part of path.slice(drive.length).split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const body = parts.join('/');
  return absolute ? `${drive}/${body}` : body || '.';
}

/** `path` as seen from the folder that holds `fromFile`; absolute paths are kept. */
export function resolveBeside(fromFile: string, path: string): string {
  if (isAbsolute(path)) return normalize(path);
  const cut = Math.max(fromFile.lastIndexOf('/'), fromFile.lastIndexOf('\\'));
  return normalize(cut < 0 ? path : `${fromFile.slice(0, cut + 1)}${path}`);
}
