/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** `participa serve`: run the web application until SIGINT or SIGTERM. The
** signals are blocked in every thread and taken by the main thread with
** sigwait(), which then stops the server gracefully (requests in flight
** finish, each worker closes its database connection) and returns 0.
**
** Defaults fit one small city-hall server: 127.0.0.1:8080 (put a TLS
** reverse proxy in front to publish it, and pass --secure-cookie), 64 workers
** (--workers), 20 MiB uploads (--max-upload), 1 MiB for other bodies
** (--max-body), 32 KiB for the request line and headers (--max-header), 30 s
** idle timeout (--timeout). The access log goes to standard output unless
** --access-log names a file.
**
** Why 64 workers whatever the number of processors: a request that files a
** PQRSD holds its worker asleep until the group commit holding it is on
** disk (db/batch.h), and a libmicrohttpd pool thread serves its other
** connections only when it is free. So the workers bound how many filings
** share one fsync, and with one worker per processor a slow fsync would
** stall every page. A sleeping worker costs little: a thread and its SQLite
** connection's cache. Measured on a 2-processor machine with 64 connections
** filing: 2 workers acknowledged about 2,000 filings/s (one per commit),
** 16 about 3,500/s, 64 4,000-5,800/s; "/" answered as fast with 64 workers
** as with 2, the server's peak memory staying under 45 MB.
*/
#include "web/serve.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/args.h"
#include "web/web.h"

int serve_cmd(App *app, int argc, char **argv) {
  const char *zUsage = "serve [--listen DIRECCIÓN:PUERTO] [--workers N] [--max-upload MB] "
                       "[--max-body KB] [--max-header KB] [--timeout SEGUNDOS] "
                       "[--access-log ARCHIVO] [--secure-cookie]";
  const char *zListen = args_value(&argc, argv, "listen");
  const char *zWorkers = args_value(&argc, argv, "workers");
  const char *zUpload = args_value(&argc, argv, "max-upload");
  const char *zBody = args_value(&argc, argv, "max-body");
  const char *zHeader = args_value(&argc, argv, "max-header");
  const char *zTimeout = args_value(&argc, argv, "timeout");
  const char *zLog = args_value(&argc, argv, "access-log");
  bool bSecure = args_flag(&argc, argv, "secure-cookie");
  args_verify(&argc, argv, "serve");
  args_count(argc, 0, 0, zUsage);

  int nWorkers = zWorkers ? (int)args_long(zWorkers, 1, 256, "--workers", zUsage) : 64;
  size_t nUpload = (size_t)(zUpload ? args_long(zUpload, 1, 1024, "--max-upload", zUsage) : 20)
                   << 20;
  size_t nBody = (size_t)(zBody ? args_long(zBody, 16, 65536, "--max-body", zUsage) : 1024)
                 << 10;
  size_t nHeader = (size_t)(zHeader ? args_long(zHeader, 4, 1024, "--max-header", zUsage) : 32)
                   << 10;
  unsigned nTimeout =
      (unsigned)(zTimeout ? args_long(zTimeout, 1, 3600, "--timeout", zUsage) : 30);

  FILE *pLog = stdout;
  if (zLog && strcmp(zLog, "-") != 0) {
    pLog = fopen(zLog, "a");
    if (pLog == NULL) {
      fprintf(stderr, "participa: no se puede abrir el registro de accesos %s: %s\n", zLog,
              os_error(errno));
      return 1;
    }
  }
  setvbuf(pLog, NULL, _IOLBF, 0);

  /* the database exists and is migrated (CMD_DB opened it); workers open
  ** their own connections */
  db_close(app->db);
  app->db = NULL;

  Route *aRoute = web_routes_dup(nUpload);

  WebApp web = {.zDbPath = app->zDbPath,
                .zDataDir = app->zDataDir,
                .bSecureCookie = bSecure,
                .nMaxUpload = nUpload,
                .pCache = web_cache_new()};
  ServerStats stats = {0};
  ServerConfig cfg = {.zListen = zListen ? zListen : "127.0.0.1:8080",
                      .zDbPath = app->zDbPath,
                      .nWorkers = nWorkers,
                      .nMaxBody = nBody,
                      .nMaxHeader = nHeader,
                      .nTimeoutSec = nTimeout,
                      .pAccessLog = pLog,
                      .aRoute = aRoute,
                      .nRoute = nWebRoute,
                      .pApp = &web,
                      .pStats = &stats,
                      .xAuthorize = web_authorize,
                      .xCsrf = web_csrf};

  /* block the stop signals before any thread starts, so that only sigwait
  ** below receives them */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);

  /* the group-commit writer (after the mask: its thread inherits it), which
  ** must outlive every request that may be waiting on it */
  char *zErr = NULL;
  web.pBatch = batch_start(app->zDbPath, 0, &zErr);
  if (web.pBatch == NULL) {
    fprintf(stderr, "participa: %s\n", zErr);
    free(zErr);
    free(aRoute);
    web_cache_free(web.pCache);
    if (pLog != stdout) {
      fclose(pLog);
    }
    return 1;
  }
  Server *srv = server_start(&cfg, &zErr);
  if (srv == NULL) {
    fprintf(stderr, "participa: %s\n", zErr);
    free(zErr);
    batch_stop(web.pBatch);
    free(aRoute);
    web_cache_free(web.pCache);
    if (pLog != stdout) {
      fclose(pLog);
    }
    return 1;
  }
  char zHost[128];
  snprintf(zHost, sizeof zHost, "%s", cfg.zListen);
  char *zColon = strrchr(zHost, ':');
  if (zColon) {
    *zColon = 0;
  }
  fprintf(stderr,
          "participa: sirviendo %s en http://%s:%d/ con %d hilos (Ctrl+C para detener)\n",
          app->zDbPath, zHost, server_port(srv), nWorkers);

  int iSig = 0;
  while (sigwait(&sigs, &iSig) != 0) {
  }
  fprintf(stderr, "participa: señal %s recibida; terminando las solicitudes en curso…\n",
          iSig == SIGINT ? "SIGINT" : "SIGTERM");
  server_stop(srv);
  BatchStats bst;
  batch_stats(web.pBatch, &bst);
  batch_stop(web.pBatch);
  fprintf(stderr, "participa: servidor detenido (%ld solicitudes atendidas)\n",
          (long)atomic_load(&stats.nRequest));
  if (bst.nCommit > 0) {
    fprintf(stderr,
            "participa: %ld registros confirmados en disco en %ld transacciones "
            "(hasta %d por transacción)\n",
            bst.nJob - bst.nFailed, bst.nCommit, bst.nLargest);
  }
  free(aRoute);
  web_cache_free(web.pCache);
  if (pLog != stdout) {
    fclose(pLog);
  }
  return 0;
}
