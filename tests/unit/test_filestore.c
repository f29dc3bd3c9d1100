/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/io/filestore.c: content-addressed storage by SHA-256,
** detected types, the same content stored once, copies of files, and the
** message when the directory cannot be made.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"
#include "io/filestore.h"

/* A fresh temporary directory (caller frees and removes). */
static char *temp_dir(void) {
  char *z = xstrdup("/tmp/participa-filestore-XXXXXX");
  cr_assert_not_null(mkdtemp(z));
  return z;
}

static void remove_tree(const char *zDir) {
  char *zCmd = xasprintf("rm -rf '%s'", zDir);
  cr_assert_eq(system(zCmd), 0);
  free(zCmd);
}

/* SHA-256 of "abc" (FIPS 180-2 test vector). */
#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

Test(filestore, mem_is_stored_under_its_hash_once) {
  char *zDir = temp_dir();
  char *zStore = xasprintf("%s/evidencias", zDir);
  StoredFile f;
  char *zErr = NULL;
  cr_assert(filestore_put_mem(zStore, "abc", 3, &f, &zErr), "%s", zErr ? zErr : "");
  cr_expect_str_eq(f.zSha256, ABC_SHA256);
  cr_expect_eq(f.nSize, 3);
  cr_expect_str_eq(f.zMime, "text/plain");
  Buf path = BUF_INIT;
  filestore_path(zStore, f.zSha256, &path);
  char *zWant = xasprintf("%s/ba/%s", zStore, ABC_SHA256);
  cr_expect_str_eq(buf_str(&path), zWant);
  struct stat st;
  cr_expect_eq(stat(buf_str(&path), &st), 0);
  cr_expect_eq(st.st_size, 3);
  free(f.zMime);
  /* the same bytes again: the same file, nothing left behind */
  cr_assert(filestore_put_mem(zStore, "abc", 3, &f, &zErr));
  cr_expect_str_eq(f.zSha256, ABC_SHA256);
  free(f.zMime);
  char *zCount = xasprintf("test $(find '%s' -type f | wc -l) = 1", zStore);
  cr_expect_eq(system(zCount), 0, "a second copy or a temporary file was left");
  free(zCount);
  buf_reset(&path);
  free(zWant);
  free(zStore);
  remove_tree(zDir);
  free(zDir);
}

Test(filestore, file_copy_detects_type_from_content) {
  char *zDir = temp_dir();
  char *zSrc = xasprintf("%s/acta.txt", zDir); /* a PDF whatever the name says */
  FILE *out = fopen(zSrc, "wb");
  fputs("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        out);
  fclose(out);
  StoredFile f;
  char *zErr = NULL;
  char *zStore = xasprintf("%s/s", zDir);
  cr_assert(filestore_put_file(zStore, zSrc, &f, &zErr), "%s", zErr ? zErr : "");
  cr_expect_str_eq(f.zMime, "application/pdf");
  cr_expect_eq(strlen(f.zSha256), 64);
  free(f.zMime);
  cr_expect(!filestore_put_file(zStore, "/no/existe.pdf", &f, &zErr));
  cr_expect_str_eq(zErr, "no se puede leer «/no/existe.pdf»: el archivo o la carpeta no existe");
  free(zErr);
  free(zStore);
  free(zSrc);
  remove_tree(zDir);
  free(zDir);
}

Test(filestore, unwritable_directory_is_a_message) {
  StoredFile f;
  char *zErr = NULL;
  cr_expect(!filestore_put_mem("/proc/participa/evidencias", "x", 1, &f, &zErr));
  cr_assert_not_null(zErr);
  cr_expect(strncmp(zErr, "no se puede crear la carpeta «/proc/participa/evidencias»", 58) == 0,
            "%s", zErr);
  free(zErr);
}

Test(filestore, temp_file_is_whole_and_synced_for_a_later_rename) {
  char *zDir = temp_dir();
  char *zSub = xasprintf("%s/a/b", zDir);
  char *zErr = NULL;
  char *zTmp = filestore_write_temp(zSub, "logo", 4, &zErr);
  cr_assert_not_null(zTmp, "%s", zErr ? zErr : "");
  cr_expect(strncmp(zTmp, zSub, strlen(zSub)) == 0 && strstr(zTmp, "/.subida-") != NULL, "%s",
            zTmp);
  struct stat st;
  cr_expect_eq(stat(zTmp, &st), 0);
  cr_expect_eq(st.st_size, 4);
  free(zTmp);
  cr_expect_null(filestore_write_temp("/proc/participa", "x", 1, &zErr));
  cr_expect_not_null(zErr);
  free(zErr);
  free(zSub);
  remove_tree(zDir);
  free(zDir);
}

Test(filestore, is_name, .description = "filestore-9.1 only 64 lowercase hex digits name a stored "
                                        "file") {
  cr_assert(filestore_is_name("a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3"));
  cr_assert_not(filestore_is_name("A665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3"));
  cr_assert_not(filestore_is_name("a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae"));
  cr_assert_not(filestore_is_name("../../../../etc/passwd"));
  cr_assert_not(filestore_is_name(""));
}
