package admin

import (
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"
)

// handleHeapDump answers POST /debug/heap: write a heap profile into the
// dump directory for offline analysis.
func (a *Admin) handleHeapDump(w http.ResponseWriter, r *http.Request) {
	path := filepath.Join(a.current().DumpDir, "heap-"+time.Now().UTC().Format("20060102-150405")+".pprof")
	f, err := os.Create(path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"path": path})
}

// handleGoroutines answers GET /debug/goroutines with a text dump of all
// goroutine stacks, straight to the client.
func (a *Admin) handleGoroutines(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	defer http.NewResponseController(w).Flush()
	if err := pprof.Lookup("goroutine").WriteTo(w, 1); err != nil {
		a.logger.Printf("admin: goroutine dump: %v", err)
	}
}

// handleCPUProfile answers POST /debug/cpu?seconds=N: profile the CPU into
// a file and report its path. The profile is stopped and the file closed,
// with the close checked, before answering.
func (a *Admin) handleCPUProfile(w http.ResponseWriter, r *http.Request) {
	secs := 10 * time.Second
	if d, err := time.ParseDuration(r.URL.Query().Get("seconds") + "s"); err == nil && d > 0 && d <= time.Minute {
		secs = d
	}
	path := filepath.Join(a.current().DumpDir, "cpu-"+time.Now().UTC().Format("20060102-150405")+".pprof")
	f, err := os.Create(path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	select {
	case <-time.After(secs):
	case <-r.Context().Done():
	}
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"path": path})
}
