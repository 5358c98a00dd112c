/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '';
    return parsed.toString();
  } catch {
    // Not a URL we can parse: still drop anything between the user's ':' and '@'.
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1@');
  }
}
