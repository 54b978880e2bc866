package ban

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"time"
)

// os.RemoveAll outside a defer is allowed.
func cleanNow(dir string) error {
	return os.RemoveAll(dir)
}

// Deferred function arguments are evaluated now: os.RemoveAll here is not deferred.
func deferredArg(dir string) {
	defer report(os.RemoveAll(dir))
}

func report(err error) {}

// time.Sleep outside a handler.
func backoff() {
	time.Sleep(time.Millisecond)
}

// A goroutine started by a handler does not hold the response.
func handlerGoroutine(w http.ResponseWriter, r *http.Request) {
	go func() {
		time.Sleep(time.Second)
	}()
}

// Exec outside a loop, and in a loop's init or range expression (evaluated once).
func single(db *sql.DB) {
	db.Exec("vacuum")
	for _, r := range prepare(db) {
		_ = r
	}
}

func prepare(db *sql.DB) []string {
	db.Exec("analyze")
	return nil
}

// A function literal in a loop is another function.
func literalInLoop(db *sql.DB, rows []string) {
	for _, r := range rows {
		insertOne := func() { db.Exec("insert", r) }
		_ = insertOne
	}
}

// Sync deferred outside a loop, and called in a loop without defer.
func syncOnce(f *os.File, fs []*os.File) {
	defer f.Sync()
	for _, g := range fs {
		g.Sync()
	}
}

// Not matched by fmt.Print*.
func errorf() error {
	return fmt.Errorf("x")
}

// A local function named like a banned one.
func Sleep(d time.Duration) {}

func handlerLocal(w http.ResponseWriter, r *http.Request) {
	Sleep(time.Second)
}
