/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** `participa serve`: run the web application until SIGINT or SIGTERM. The
** signals are blocked in every thread and taken by the main thread with
** sigwait(), which then stops the server gracefully (requests in flight
** finish, each worker closes its database connection) and returns 0.
** SIGHUP (logrotate's postrotate) reopens the --access-log file by name and
** the server goes on; nothing written is lost. Only one server runs on a
** database (ops_serve_lock; the CLI works beside it). A thread does the
** daily upkeep: at start and every 24 hours it anonymises the personal data
** whose retention period is over (privacy_purge_due) and deletes
** throttling data and sessions past their window (auth_prune).
**
** Defaults fit one small city-hall server: 127.0.0.1:8080 (put a TLS
** reverse proxy in front to publish it, and pass --secure-cookie), 64 workers
** (--workers), 20 MiB uploads (--max-upload), 1 MiB for other bodies
** (--max-body), 32 KiB for the request line and headers (--max-header), 30 s
** idle timeout (--timeout), 10 s to send the headers (--header-timeout),
** 2048 connections in all (--max-conn) and 64 per client address
** (--max-conn-per-addr), uploads spooled to disk up to 1 GiB at once
** (--max-spool), writers waiting 5 s on a busy database (--busy-timeout)
** before the request is answered 503. Behind a reverse proxy, pass its
** address with --trusted-proxy so that throttling and the access log see
** the client's address (X-Forwarded-For, or Forwarded with --proxy-header
** forwarded; only that one header is read). The access log goes
** to standard output unless --access-log names a file.
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
#include "app/serve.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "base/args.h"
#include "ops/ops.h"
#include "privacy/privacy.h"
#include "app/web.h"

/* The daily upkeep thread: what it needs and how it is stopped. */
typedef struct Upkeep {
  const char *zDbPath;   /* the database (borrowed) */
  const char *zDataDir;  /* the data directory (borrowed) */
  pthread_mutex_t mutex; /* guards bStop */
  pthread_cond_t cond;   /* signalled when bStop is set */
  bool bStop;            /* the server is stopping */
  pthread_t thread;      /* the thread */
} Upkeep;

/* One round of upkeep on its own connection (soft faults: a busy or full
** database makes it skip a round, never stop the server): the personal
** data whose retention is over are anonymised (privacy_purge_due), and
** throttling data and sessions past their window are deleted (auth_prune).
** Writes one line to stderr when it did something or failed. */
static void upkeep_round(const Upkeep *u) {
  char *zErr = NULL;
  Db *db = db_open(u->zDbPath, 0, &zErr);
  if (db == NULL) {
    fprintf(stderr, "participa: mantenimiento diario: %s\n", zErr);
    free(zErr);
    return;
  }
  db_set_soft_faults(db, true);
  int nPurged = privacy_purge_due(db, u->zDataDir, &zErr);
  if (db_fault(db) != NULL) {
    fprintf(stderr, "participa: mantenimiento diario: %s; se intentará de nuevo mañana\n",
            db_fault(db));
    db_fault_clear(db);
  } else if (nPurged < 0) {
    fprintf(stderr, "participa: mantenimiento diario: %s\n", zErr ? zErr : "error");
  } else if (nPurged > 0) {
    fprintf(stderr, "participa: mantenimiento diario: %d registros con datos personales "
                    "anonimizados (plazo de conservación cumplido)\n",
            nPurged);
  }
  free(zErr);
  auth_prune(db);
  if (db_fault(db) != NULL) {
    db_fault_clear(db);
  }
  db_close(db);
}

/* The upkeep thread: a round at start, then one every 24 hours, until
** stopped. */
static void *upkeep_main(void *pArg) {
  Upkeep *u = pArg;
  pthread_mutex_lock(&u->mutex);
  while (!u->bStop) {
    pthread_mutex_unlock(&u->mutex);
    upkeep_round(u);
    pthread_mutex_lock(&u->mutex);
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += 24 * 3600;
    while (!u->bStop && pthread_cond_timedwait(&u->cond, &u->mutex, &t) != ETIMEDOUT) {
    }
  }
  pthread_mutex_unlock(&u->mutex);
  return NULL;
}

bool serve_reopen_log(FILE *pLog, const char *zPath, char **pzErr) {
  int fd = open(zPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    *pzErr = xasprintf("no se puede reabrir el registro de accesos %s: %s", zPath, os_error(errno));
    return false;
  }
  flockfile(pLog);
  fflush(pLog);
  bool bOk = dup2(fd, fileno(pLog)) >= 0;
  int iErr = errno;
  funlockfile(pLog);
  close(fd);
  if (!bOk) {
    *pzErr = xasprintf("no se puede reabrir el registro de accesos %s: %s", zPath, os_error(iErr));
    return false;
  }
  *pzErr = NULL;
  return true;
}

int serve_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  const char *zListen = args_value(&argc, argv, "listen");
  const char *zWorkers = args_value(&argc, argv, "workers");
  const char *zUpload = args_value(&argc, argv, "max-upload");
  const char *zBody = args_value(&argc, argv, "max-body");
  const char *zHeader = args_value(&argc, argv, "max-header");
  const char *zTimeout = args_value(&argc, argv, "timeout");
  const char *zLog = args_value(&argc, argv, "access-log");
  const char *zHeaderTimeout = args_value(&argc, argv, "header-timeout");
  const char *zMaxConn = args_value(&argc, argv, "max-conn");
  const char *zPerAddr = args_value(&argc, argv, "max-conn-per-addr");
  const char *zProxy = args_value(&argc, argv, "trusted-proxy");
  const char *zProxyHeader = args_value(&argc, argv, "proxy-header");
  const char *zBusy = args_value(&argc, argv, "busy-timeout");
  const char *zSpool = args_value(&argc, argv, "max-spool");
  bool bSecure = args_flag(&argc, argv, "secure-cookie");
  args_verify(&argc, argv, "serve");
  args_count(argc, 0, 0, zUsage);
  /* one server per database: a second one is refused naming the first */
  char *zLockErr = NULL;
  if (!ops_serve_lock(app->zDbPath, &zLockErr)) {
    fprintf(stderr, "participa: %s\n", zLockErr);
    free(zLockErr);
    return 1;
  }

  int nWorkers = zWorkers ? (int)args_long(zWorkers, 1, 256, "--workers", zUsage) : 64;
  size_t nUpload = (size_t)(zUpload ? args_long(zUpload, 1, 1024, "--max-upload", zUsage) : 20)
                   << 20;
  size_t nBody = (size_t)(zBody ? args_long(zBody, 16, 65536, "--max-body", zUsage) : 1024) << 10;
  size_t nHeader = (size_t)(zHeader ? args_long(zHeader, 4, 1024, "--max-header", zUsage) : 32)
                   << 10;
  unsigned nTimeout = (unsigned)(zTimeout ? args_long(zTimeout, 1, 3600, "--timeout", zUsage) : 30);
  unsigned nHeaderTimeout =
      (unsigned)(zHeaderTimeout ? args_long(zHeaderTimeout, 1, 600, "--header-timeout", zUsage)
                                : 10);
  int nMaxConn = zMaxConn ? (int)args_long(zMaxConn, 16, 1000000, "--max-conn", zUsage) : 2048;
  int nPerAddr =
      zPerAddr ? (int)args_long(zPerAddr, 1, 1000000, "--max-conn-per-addr", zUsage) : 64;
  int nBusy = zBusy ? (int)args_long(zBusy, 1, 600000, "--busy-timeout", zUsage) : 5000;
  size_t nSpool = (size_t)(zSpool ? args_long(zSpool, 1, 1048576, "--max-spool", zUsage) : 1024)
                  << 20;
  bool bProxyForwarded = false;
  if (zProxyHeader != NULL) {
    if (strcasecmp(zProxyHeader, "forwarded") == 0) {
      bProxyForwarded = true;
    } else if (strcasecmp(zProxyHeader, "x-forwarded-for") != 0) {
      args_usage_error(zUsage, "--proxy-header es x-forwarded-for o forwarded, no «%s»",
                       zProxyHeader);
    }
  }
  db_set_default_busy_timeout(nBusy);
  /* uploads are spooled beside the evidence files when that directory
  ** exists (same disk as where they end up), else in $TMPDIR */
  struct stat stData;
  const char *zSpoolDir =
      app->zDataDir && stat(app->zDataDir, &stData) == 0 && S_ISDIR(stData.st_mode) ? app->zDataDir
                                                                                    : NULL;

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
                      .nHeaderTimeoutSec = nHeaderTimeout,
                      .nMaxConn = nMaxConn,
                      .nMaxConnPerAddr = nPerAddr,
                      .zTrustedProxy = zProxy,
                      .bProxyForwarded = bProxyForwarded,
                      .nBusyTimeoutMs = nBusy,
                      .zSpoolDir = zSpoolDir,
                      .nMaxSpool = nSpool,
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
  sigaddset(&sigs, SIGHUP);
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
  Upkeep upkeep = {.zDbPath = app->zDbPath, .zDataDir = app->zDataDir};
  pthread_mutex_init(&upkeep.mutex, NULL);
  pthread_cond_init(&upkeep.cond, NULL);
  bool bUpkeep = pthread_create(&upkeep.thread, NULL, upkeep_main, &upkeep) == 0;
  if (!bUpkeep) {
    fprintf(stderr, "participa: no se pudo iniciar el mantenimiento diario; el servidor sigue\n");
  }
  char zHost[128];
  snprintf(zHost, sizeof zHost, "%s", cfg.zListen);
  char *zColon = strrchr(zHost, ':');
  if (zColon) {
    *zColon = 0;
  }
  fprintf(stderr, "participa: sirviendo %s en http://%s:%d/ con %d hilos (Ctrl+C para detener)\n",
          app->zDbPath, zHost, server_port(srv), nWorkers);

  int iSig = 0;
  for (;;) {
    if (sigwait(&sigs, &iSig) != 0) {
      continue;
    }
    if (iSig != SIGHUP) {
      break;
    }
    /* SIGHUP (logrotate's postrotate): reopen the access log by its name */
    if (pLog != stdout) {
      char *zReopenErr = NULL;
      if (serve_reopen_log(pLog, zLog, &zReopenErr)) {
        fprintf(stderr, "participa: registro de accesos %s reabierto\n", zLog);
      } else {
        fprintf(stderr, "participa: %s; se sigue escribiendo en el anterior\n", zReopenErr);
        free(zReopenErr);
      }
    }
  }
  fprintf(stderr, "participa: señal %s recibida; terminando las solicitudes en curso…\n",
          iSig == SIGINT ? "SIGINT" : "SIGTERM");
  server_stop(srv);
  if (bUpkeep) {
    pthread_mutex_lock(&upkeep.mutex);
    upkeep.bStop = true;
    pthread_cond_signal(&upkeep.cond);
    pthread_mutex_unlock(&upkeep.mutex);
    pthread_join(upkeep.thread, NULL);
  }
  pthread_cond_destroy(&upkeep.cond);
  pthread_mutex_destroy(&upkeep.mutex);
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
