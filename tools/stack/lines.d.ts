// Types of lines.js.
export function createLineSplitter(onLine: (line: string) => void): { push(chunk: string | Buffer): void; flush(): void };
export function prefixLine(name: string, width: number, line: string): string;
