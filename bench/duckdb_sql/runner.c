/* bench/duckdb_sql/runner.c: runs one SQL script through libduckdb, the
 * same shared library Daybook links, as a dbt-duckdb job would.
 *
 *   runner DB SCRIPT.sql [name=value ...]
 *
 * Every ${name} in the script is replaced by its value (no escaping: bench
 * paths only). The whole script goes to duckdb_query() at once (DuckDB runs
 * multiple statements in order). Exit 0 on success, 1 on a SQL error (printed
 * to stderr), 2 on bad usage. */
#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(buf); return NULL; }
  buf[n] = 0;
  fclose(f);
  return buf;
}

/* Returns a newly allocated copy of `s` with ${name} replaced. */
static char *substitute(const char *s, int nvars, char **vars) {
  size_t cap = strlen(s) + 1, len = 0;
  for (int i = 0; i < nvars; ++i) cap += 4 * strlen(vars[i]) + 1024;
  char *out = malloc(cap * 4);
  cap *= 4;
  while (*s) {
    if (s[0] == '$' && s[1] == '{') {
      const char *end = strchr(s, '}');
      int found = 0;
      if (end) {
        size_t klen = (size_t)(end - s - 2);
        for (int i = 0; i < nvars; ++i) {
          const char *eq = strchr(vars[i], '=');
          if (eq && (size_t)(eq - vars[i]) == klen && strncmp(vars[i], s + 2, klen) == 0) {
            size_t vlen = strlen(eq + 1);
            if (len + vlen + 1 >= cap) { cap = (cap + vlen) * 2; out = realloc(out, cap); }
            memcpy(out + len, eq + 1, vlen);
            len += vlen;
            s = end + 1;
            found = 1;
            break;
          }
        }
        if (!found) {
          fprintf(stderr, "runner: no value for ${%.*s}\n", (int)klen, s + 2);
          exit(2);
        }
        continue;
      }
    }
    if (len + 2 >= cap) { cap *= 2; out = realloc(out, cap); }
    out[len++] = *s++;
  }
  out[len] = 0;
  return out;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s DB SCRIPT.sql [name=value ...]\n", argv[0]);
    return 2;
  }
  char *text = read_file(argv[2]);
  if (!text) { fprintf(stderr, "runner: cannot read %s\n", argv[2]); return 2; }
  char *sql = substitute(text, argc - 3, argv + 3);
  duckdb_database db;
  duckdb_connection con;
  if (duckdb_open(argv[1], &db) == DuckDBError) { fprintf(stderr, "runner: cannot open %s\n", argv[1]); return 1; }
  if (duckdb_connect(db, &con) == DuckDBError) { fprintf(stderr, "runner: cannot connect\n"); return 1; }
  duckdb_result res;
  int rc = 0;
  if (duckdb_query(con, sql, &res) == DuckDBError) {
    fprintf(stderr, "runner: %s\n", duckdb_result_error(&res));
    rc = 1;
  }
  duckdb_destroy_result(&res);
  duckdb_disconnect(&con);
  duckdb_close(&db);
  free(sql);
  free(text);
  return rc;
}
