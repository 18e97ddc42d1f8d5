import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

/** A fenced `bash` or `sh` block of a guide. */
export interface CommandBlock {
  /** The guide, relative to the repository: `labs/ec2-web-server/README.md`. */
  readonly guide: string;
  /** The line of the opening fence, 1-based. */
  readonly line: number;
  readonly text: string;
}

/** README.md and every Markdown file under labs/: the guides a student copies commands from. */
export function guideFiles(): string[] {
  const found: string[] = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(relative);
      else if (entry.isFile() && entry.name.endsWith('.md')) found.push(relative);
    }
  };
  walk('labs');
  return found.sort();
}

/** The fenced `bash` and `sh` blocks of a guide, in order. */
export function commandBlocks(guide: string): CommandBlock[] {
  const lines = fs.readFileSync(path.join(ROOT, guide), 'utf-8').split('\n');
  const blocks: CommandBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(```+|~~~+)\s*(\w*)/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((line, j) => j > i && line.trim().startsWith(fence[2]));
    const close = end === -1 ? lines.length : end;
    if (['bash', 'sh', 'shell'].includes(fence[3])) {
      blocks.push({ guide, line: i + 1, text: lines.slice(i + 1, close).join('\n') });
    }
    i = close;
  }
  return blocks;
}

/**
 * The block's commands as a student's shell reads them: continuation lines joined, comments and blank lines dropped.
 * Good enough to find the `aws`, `npx` and `npm` commands and their options; the shell itself runs the block.
 */
export function commandLines(block: CommandBlock): string[] {
  return block.text.replace(/\\\n/g, ' ').split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

/**
 * A clean-up block: it deletes, destroys or deregisters something. A student runs it later, often in a new terminal,
 * so it must not rely on a variable an earlier block set.
 */
export function isCleanUp(block: CommandBlock): boolean {
  return /\b(destroy|delete-[\w-]+|deregister-[\w-]+|terminate-[\w-]+|rb|rm)\b/.test(commandLines(block).join('\n'));
}

/** Text that reads as a placeholder to fill in (`<InstanceId>`, `<one of them>`); in a shell it is a redirection. */
export function placeholders(block: CommandBlock): string[] {
  return commandLines(block).flatMap((line) => [...line
    .replace(/<<-?\s*['"]?\w+['"]?/g, '')
    .replace(/<\(/g, '')
    .matchAll(/<[A-Za-z][^<>\n]*>/g)].map((match) => match[0]));
}
