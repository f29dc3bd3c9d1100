/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Terminal-safe output: text that came from a file or from a citizen (a
** PQRSD subject, a plan cell, an office name) must never reach the
** official's terminal as control sequences (ESC ] ... BEL sets the window
** title, ESC [2J clears the screen, OSC 52 writes the clipboard on some
** terminals). Instead of escaping at dozens of call sites, the CLI's
** stdout and stderr are replaced by filters (glibc fopencookie) that write
** every control character in a visible form:
**   - C0 controls other than \n and \t, DEL, and each byte of invalid UTF-8
**     become "\xHH" (ESC is "\x1b", a lone 0xFF byte is "\xff");
**   - C1 controls (U+0080-U+009F, UTF-8 C2 80..C2 9F) become "\u00HH", and
**     the bidirectional overrides and isolates (U+202A-U+202E,
**     U+2066-U+2069), which reorder what the terminal shows, "\u202e".
** Everything else, valid UTF-8 text included, passes unchanged. A UTF-8
** sequence split between two writes is held back until it is complete.
**
** When the filter applies: stderr always (messages and diagnostics are for
** people). stdout always, except when the command writes a machine format
** (an argument "--format csv|json|xlsx", as in `export` and
** `report`/`pqrsd report`) AND stdout is not a terminal: then the bytes go
** to the file or pipe exactly as produced, so exported files stay
** byte-exact. Files written with --output never pass through the filter.
**
** Not done here: the web pages (the escaping HTML writer protects them),
** log files written by the server to their own files.
*/
#ifndef PARTICIPA_BASE_TERMSAFE_H
#define PARTICIPA_BASE_TERMSAFE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* Append the n bytes at z to pOut with controls made visible (see above).
** When bFinal is false, an incomplete but so far valid UTF-8 sequence at
** the very end is not consumed: the return value is the number of bytes
** consumed (n, or up to 3 fewer), and the caller passes the rest again
** with the next bytes. When bFinal is true every byte is consumed (a
** truncated sequence is written as "\xHH" bytes). Never fails. */
size_t termsafe_escape(Buf *pOut, const char *z, size_t n, bool bFinal);

/* True when argv[1..argc) asks for a machine format on stdout: an argument
** "--format" followed by csv, json or xlsx, or "--format=csv" etc. */
bool termsafe_machine_output(int argc, char **argv);

/* Replace stdout and stderr by the filters; stdout is left as it is when
** bStdoutRaw and file descriptor 1 is not a terminal. Call once, before
** anything is printed. The filters keep stdio's buffering (stdout line
** buffered on a terminal, fully buffered otherwise; stderr unbuffered) and
** write to file descriptors 1 and 2; at exit they are flushed and a held
** incomplete sequence is written. Returns false (nothing replaced) when
** fopencookie fails, which leaves the output unfiltered. */
bool termsafe_install(bool bStdoutRaw);

#endif
