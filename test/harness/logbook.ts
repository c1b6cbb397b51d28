// The one record of what a test started: every process's output and every CLI run, each kept
// (bounded) under its name, so that a wait that times out can show all of it.

export class Log {
  private readonly chunks: string[] = [];
  private size = 0;

  constructor(
    readonly name: string,
    private readonly maxChars: number,
  ) {}

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.maxChars && this.chunks.length > 1) this.size -= (this.chunks.shift() as string).length;
  }

  text(): string {
    return this.chunks.join('');
  }
}

export class LogBook {
  private readonly logs: Log[] = [];

  /** A new log; names need not be unique (a restarted relay gets a second log). */
  log(name: string, maxChars = 256 * 1024): Log {
    const log = new Log(name, maxChars);
    this.logs.push(log);
    return log;
  }

  /** Every log, oldest first, each cut to its last `tailChars`. */
  dump(tailChars = 20_000): string {
    return this.logs.map((l) => `----- ${l.name}\n${l.text().slice(-tailChars)}`).join('\n');
  }
}
