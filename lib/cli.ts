/** An error that stops a command before it does its work; its message says what to do. */
export class CannotRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CannotRunError';
  }
}

/**
 * The frame of the repository's commands: parses the arguments (an error prints what was wrong and the usage, exit
 * 2), answers --help, then runs the work and exits with its code. A CannotRunError prints its message, which says
 * what to do, and exits 2: a student sees advice, not a stack trace.
 */
export async function runCli<T>(
  usage: string, parse: () => T | 'help', work: (args: T) => Promise<number> | number,
): Promise<void> {
  let args: T | 'help';
  try {
    args = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (args === 'help') {
    console.log(usage);
    return;
  }
  try {
    process.exitCode = await work(args);
  } catch (error) {
    if (!(error instanceof CannotRunError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}
