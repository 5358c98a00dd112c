// Pure: splits a stream's chunks into lines and prefixes them with the service's name.
'use strict';

/**
 * Returns { push(chunk), flush() }: onLine gets every complete line (without its newline);
 * flush() hands over a last line that had no newline.
 */
function createLineSplitter(onLine) {
  let pending = '';
  return {
    push(chunk) {
      pending += String(chunk);
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        onLine(pending.slice(0, newline).replace(/\r$/, ''));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    },
    flush() {
      if (pending !== '') onLine(pending.replace(/\r$/, ''));
      pending = '';
    },
  };
}

/** `name | line`, the names padded to one width so the columns line up. */
function prefixLine(name, width, line) {
  return `${name.padEnd(width)} | ${line}`;
}

module.exports = { createLineSplitter, prefixLine };
