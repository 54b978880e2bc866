// Command vcs-webui serves a read-only web view of a repository: branches,
// commits, trees and raw blobs.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"html/template"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/repo"
)

// metrics is a tiny latency recorder in the style of a Prometheus
// histogram.
type metrics struct {
	mu    sync.Mutex
	total map[string]time.Duration
	count map[string]int
}

type timer struct {
	m     *metrics
	name  string
	start time.Time
}

// NewTimer starts timing name; call ObserveDuration when done.
func (m *metrics) NewTimer(name string) *timer {
	return &timer{m: m, name: name, start: time.Now()}
}

// ObserveDuration records the time since the timer was created.
func (t *timer) ObserveDuration() {
	d := time.Since(t.start)
	t.m.mu.Lock()
	t.m.total[t.name] += d
	t.m.count[t.name]++
	t.m.mu.Unlock()
}

// counters is a snapshot of request counts.
type counters map[string]int

// WriteLog prints the counters, busiest first.
func (c counters) WriteLog(logger *log.Logger) {
	names := make([]string, 0, len(c))
	for n := range c {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return c[names[i]] > c[names[j]] })
	for _, n := range names {
		logger.Printf("%-10s %d", n, c[n])
	}
}

type ui struct {
	repo    *repo.Repo
	logger  *log.Logger
	metrics *metrics
	page    *template.Template

	mu    sync.RWMutex
	hits  counters
	cache map[object.ID]*object.Commit
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<title>{{.Title}}</title>
<h1>{{.Title}}</h1>
<ul>{{range .Lines}}<li><code>{{.}}</code></li>{{end}}</ul>
`))

func (u *ui) count(name string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.hits[name]++
}

// snapshot copies the request counters.
func (u *ui) snapshot() counters {
	u.mu.RLock()
	defer u.mu.RUnlock()
	out := make(counters, len(u.hits))
	for k, v := range u.hits {
		out[k] = v
	}
	return out
}

// track times a handler: `defer u.track("log")()`.
func (u *ui) track(name string) func() {
	u.count(name)
	t := u.metrics.NewTimer(name)
	return t.ObserveDuration
}

// render executes the page template into w, reporting template panics as
// errors.
func (u *ui) render(w io.Writer, title string, lines []string) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if r := recover(); r != nil {
			err = fmt.Errorf("render %s: %v", title, r)
		}
	}()
	err = u.page.Execute(w, struct {
		Title string
		Lines []string
	}{title, lines})
	return err
}

func (u *ui) handleIndex(w http.ResponseWriter, req *http.Request) {
	defer u.metrics.NewTimer("index").ObserveDuration()
	u.count("index")
	all, err := u.repo.Refs.List("refs/heads/")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var lines []string
	for name, id := range all {
		lines = append(lines, id.Short()+" "+strings.TrimPrefix(name, "refs/heads/"))
	}
	sort.Strings(lines)
	if err := u.render(w, "branches", lines); err != nil {
		u.logger.Printf("index: %v", err)
	}
}

// commit reads a commit through the cache.
func (u *ui) commit(id object.ID) (*object.Commit, error) {
	u.mu.RLock()
	c, ok := u.cache[id]
	u.mu.RUnlock()
	if ok {
		return c, nil
	}
	c, err := u.repo.ReadCommit(id)
	if err != nil {
		return nil, err
	}
	u.mu.Lock()
	u.cache[id] = c
	u.mu.Unlock()
	return c, nil
}

func (u *ui) handleCommit(w http.ResponseWriter, req *http.Request) {
	defer func() {
		if r := recover(); r != nil {
			u.logger.Printf("commit: panic: %v", r)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	id, err := object.ParseID(strings.TrimPrefix(req.URL.Path, "/commit/"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c, err := u.commit(id)
	if err != nil {
		http.NotFound(w, req)
		return
	}
	go func() { // HAZ goroutine-outside-recover
		for _, p := range c.Parents {
			u.commit(p) // warm the cache for the "parent" links
		}
	}()
	lines := []string{"tree " + c.Tree.String(), "author " + c.Author.String()}
	for _, p := range c.Parents {
		lines = append(lines, "parent "+p.String())
	}
	lines = append(lines, strings.Split(strings.TrimSpace(c.Message), "\n")...)
	if err := u.render(w, "commit "+id.Short(), lines); err != nil {
		u.logger.Printf("commit: %v", err)
	}
}

func (u *ui) handleRaw(w http.ResponseWriter, req *http.Request) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			_ = r
		}
	}()
	id, err := object.ParseID(strings.TrimPrefix(req.URL.Path, "/raw/"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	kind, data, err := u.repo.Objects.Read(id)
	if err != nil || kind != object.KindBlob {
		http.NotFound(w, req)
		return
	}
	w.Header().Set("Content-Type", http.DetectContentType(data))
	w.Write(data)
}

func (u *ui) handleTree(w http.ResponseWriter, req *http.Request) {
	u.mu.Lock()
	defer u.mu.RUnlock() // HAZ defer-lock-mismatch
	u.hits["tree"]++
	id, err := object.ParseID(strings.TrimPrefix(req.URL.Path, "/tree/"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	t, err := u.repo.ReadTree(id)
	if err != nil {
		http.NotFound(w, req)
		return
	}
	lines := make([]string, 0, len(t.Entries))
	for _, e := range t.Entries {
		lines = append(lines, fmt.Sprintf("%06o %s %s", e.Mode, e.ID.Short(), e.Name))
	}
	if err := u.render(w, "tree "+id.Short(), lines); err != nil {
		u.logger.Printf("tree: %v", err)
	}
}

func (u *ui) handleLog(w http.ResponseWriter, req *http.Request) {
	defer u.track("log")()
	head, err := u.repo.Refs.Resolve("refs/heads/" + req.URL.Query().Get("branch"))
	if err != nil {
		http.NotFound(w, req)
		return
	}
	var lines []string
	err = u.repo.Log(head, 50, func(id object.ID, c *object.Commit) error {
		subject, _, _ := strings.Cut(c.Message, "\n")
		lines = append(lines, id.Short()+" "+subject)
		return nil
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err := u.render(w, "log", lines); err != nil {
		u.logger.Printf("log: %v", err)
	}
}

func (u *ui) handleSearch(w http.ResponseWriter, req *http.Request) {
	defer u.track("search") // HAZ defer-func-result-not-called
	q := req.URL.Query().Get("q")
	if q == "" {
		http.Error(w, "missing q", http.StatusBadRequest)
		return
	}
	all, err := u.repo.Refs.List("refs/")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var lines []string
	for name := range all {
		if strings.Contains(name, q) {
			lines = append(lines, name)
		}
	}
	sort.Strings(lines)
	if err := u.render(w, "search: "+q, lines); err != nil {
		u.logger.Printf("search: %v", err)
	}
}

func (u *ui) handleRefsGzip(w http.ResponseWriter, req *http.Request) {
	all, err := u.repo.Refs.List("refs/")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Content-Type", "text/plain")
	bw := bufio.NewWriter(w)
	gz := gzip.NewWriter(bw)
	defer func() { // HAZ defer-order-inverted
		if err := gz.Close(); err != nil {
			u.logger.Printf("refs: gzip: %v", err)
		}
	}()
	defer func() {
		if err := bw.Flush(); err != nil {
			u.logger.Printf("refs: flush: %v", err)
		}
	}()
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(gz, "%s %s\n", all[name], name)
	}
}

func (u *ui) handleStats(w http.ResponseWriter, req *http.Request) {
	defer u.snapshot().WriteLog(u.logger) // HAZ defer-call-chain
	u.count("stats")
	u.metrics.mu.Lock()
	defer u.metrics.mu.Unlock()
	for name, total := range u.metrics.total {
		n := u.metrics.count[name]
		fmt.Fprintf(w, "%-10s %6d requests, mean %s\n", name, n, total/time.Duration(n))
	}
}

func main() {
	addr := flag.String("listen", ":8080", "address to listen on")
	root := flag.String("repo", ".", "repository to show")
	flag.Parse()

	r, err := repo.Open(*root)
	if err != nil {
		log.Fatal(err)
	}
	lf, err := refs.Acquire(filepath.Join(r.Dir, "webui"))
	if err != nil {
		log.Fatal(err)
	}
	defer lf.Rollback()

	u := &ui{
		repo:    r,
		logger:  log.New(os.Stderr, "vcs-webui: ", log.LstdFlags),
		metrics: &metrics{total: make(map[string]time.Duration), count: make(map[string]int)},
		page:    pageTemplate,
		hits:    make(counters),
		cache:   make(map[object.ID]*object.Commit),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", u.handleIndex)
	mux.HandleFunc("/commit/", u.handleCommit)
	mux.HandleFunc("/raw/", u.handleRaw)
	mux.HandleFunc("/tree/", u.handleTree)
	mux.HandleFunc("/log", u.handleLog)
	mux.HandleFunc("/search", u.handleSearch)
	mux.HandleFunc("/refs.gz", u.handleRefsGzip)
	mux.HandleFunc("/stats", u.handleStats)
	u.logger.Printf("serving %s on %s", r.Root, *addr)
	err = http.ListenAndServe(*addr, mux) // HAZ signal-skips-defer
	u.logger.Printf("stopped: %v", err)
}
