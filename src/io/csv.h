/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** CSV/TSV: read delimited text (',' ';' or tab, RFC 4180 quoting) into a
** Table, and write fields and rows back out. Tokenizing is done by libcsv;
** this module adds what libcsv does not: encoding detection (UTF-8, UTF-8
** with BOM, Windows-1252; UTF-16/32 and binary files refused), physical line
** numbers for every row (LF, CRLF and lone CR), blank lines kept as empty
** rows, separator sniffing, and the spreadsheet formula guard on write (and
** its removal on read).
**
** It does not trim cells, skip preamble lines, interpret headers or convert
** numbers and dates: the importer does all of that. The whole file is held
** in memory (plans are small; the limit is CSV_MAX_BYTES).
*/
#ifndef PARTICIPA_IO_CSV_H
#define PARTICIPA_IO_CSV_H

#include <stddef.h>

#include "base/buf.h"
#include "io/table.h"

/* Largest input the readers accept, in bytes (256 MiB). */
#define CSV_MAX_BYTES ((size_t)256 * 1024 * 1024)

/* Read the delimited text file zPath into t.
**
** t need not be initialised: the function calls table_init(t, zPath)
** itself, and the caller must call table_reset(t) afterwards whatever the
** result. cSep is '\t', ';' or ',', or 0 to sniff the separator (the one
** chosen is stored in t->cSep either way); any other value is a bug and
** aborts. Sniffing parses the first 64 KiB with each candidate and keeps
** the one whose most common field count (above 1) times the rows having it
** is highest; ties prefer tab, then ';'; ',' when no candidate splits a row.
**
** What a row holds:
** - Each row records in iLine the 1-based physical line where it starts
**   (a quoted field may span lines). Line breaks are LF, CRLF or lone CR.
** - A blank line is a row with 0 cells.
** - Cells keep their text exactly (no trimming; trailing empty cells are
**   kept: "a\tb\t" has 3 cells), except that
**   . every line break inside a quoted field (CRLF, and also a lone CR)
**     becomes LF, so cells never hold a CR (this keeps write-then-read
**     exact: with lone CRs kept, "\r\r\n" would read as "\r\n" and then
**     as "\n");
**   . the formula guard is removed: a cell that starts with one or more
**     apostrophes followed by one of = + - @ loses its first apostrophe,
**     so that what csv_write_field wrote reads back identical ("'=1" reads
**     as "=1", "''=1" as "'=1", "'hola" stays "'hola").
** - Quoting follows RFC 4180 for every separator (tab included). libcsv's
**   lenient mode keeps stray quotes: in an unquoted field literally (a"b
**   reads as a"b); in a quoted field, a quote that is not doubled and not
**   followed by the separator or a line break is kept and the field goes
**   on (`"ab"c",d` reads as ab"c and d; `"ab"c,d` with no later closing
**   quote is an unterminated field, reported as an error).
** t->zEncoding is "UTF-8", "UTF-8 con BOM" or "Windows-1252" (used when the
** bytes are not valid UTF-8).
**
** Returns TABLE_OK, or TABLE_ECANTREAD with a Spanish message (no trailing
** period) in *pzErr, which the caller frees (pzErr may be NULL); then t
** holds no rows. Reasons: the file cannot be opened or read ("no se puede
** leer «FILE»: ..."), it is too large, it is UTF-16/UTF-32, XLS/XLSX or
** binary, it holds a NUL byte or a byte undefined in Windows-1252 ("línea
** 17: byte 0x81 no válido ni en UTF-8 ni en Windows-1252"), or a quoted
** field is never closed ("línea 9: comillas sin cerrar ..."). */
TableRc csv_read_file(const char *zPath, char cSep, Table *t, char **pzErr);

/* Read the n bytes at z (not necessarily NUL-terminated) as csv_read_file
** does; zName is the source name recorded in t->zSource. The caller keeps
** ownership of z. Same results and messages, except that there is no
** "cannot read" case. */
TableRc csv_read_mem(const char *zName, const char *z, size_t n, char cSep, Table *t, char **pzErr);

/* Append the NUL-terminated field z (NULL counts as "") to pOut as one CSV
** field for separator cSep ('\t', ';' or ','):
** - formula guard: when z starts with = + - or @ and is not a plain number
**   (optional sign, digits with '.' or ',' between them, optional final
**   '%'), or starts with apostrophes followed by one of those characters,
**   an apostrophe is put in front ("=1+1" -> "'=1+1", "-5" stays "-5");
** - quoting: when the (guarded) text holds cSep, a double quote, CR or LF
**   it is written between double quotes with inner quotes doubled (libcsv's
**   csv_write2).
** Cannot fail. */
void csv_write_field(Buf *pOut, const char *z, char cSep);

/* Append a whole row to pOut: the nField fields of azField (NULL entries
** count as "") written with csv_write_field, joined by cSep, ending with
** "\r\n". A row of one empty field is written as `""` so that it does not
** read back as a blank line (0 cells); nField 0 writes just "\r\n".
** Cannot fail. */
void csv_write_row(Buf *pOut, int nField, const char *const *azField, char cSep);

#endif
